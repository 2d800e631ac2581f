package dev.arenaflow.bench.memory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;

/**
 * The live heap at one moment, by two methods: the class histogram, which the results use, and
 * heap used after repeated {@code System.gc()}, kept as a cross-check of the first.
 *
 * <p>The histogram's rows go to a file, not the heap: a parsed histogram is a map of a few
 * thousand class names, and keeping one alive would add its own size to the next snapshot.
 *
 * @param liveBytes the bytes of all live objects
 * @param heapUsed heap used once collections stop freeing anything
 * @param histogram where the rows were written
 */
record HeapSnapshot(long liveBytes, long heapUsed, Path histogram) {

    private static final int MAX_COLLECTIONS = 10;
    // Collections stop when one frees less than this: the JMX calls themselves leave a little garbage.
    private static final long SETTLED_BYTES = 64 * 1024;

    /**
     * @param file where to write the histogram
     * @return the heap now, after the collections this runs
     */
    static HeapSnapshot take(Path file) throws JMException, IOException {
        long used = settledHeapUsed();
        String text = ClassHistogram.take();
        Files.writeString(file, text);
        return new HeapSnapshot(ClassHistogram.parse(text).totalBytes(), used, file);
    }

    /** @return the live objects per class, read back from the file */
    ClassHistogram classes() throws IOException {
        return ClassHistogram.parse(Files.readString(histogram));
    }

    private static long settledHeapUsed() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < MAX_COLLECTIONS; i++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now <= used && used - now < SETTLED_BYTES) {
                return now;
            }
            used = now;
        }
        return used;
    }
}
