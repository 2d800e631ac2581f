package dev.arenaflow.bench.memory;

import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The live objects on the heap, per class, as {@code jcmd PID GC.class_histogram} counts them: the
 * JVM runs a full GC, then sums the exact shallow size of every object still reachable. Unlike
 * heap-used figures, this is not blurred by garbage, regions or the timing of a collection, and
 * its per-class difference says where the bytes went.
 */
final class ClassHistogram {

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)");

    private final Map<String, Long> bytesByClass;
    private final long totalBytes;

    private ClassHistogram(Map<String, Long> bytesByClass, long totalBytes) {
        this.bytesByClass = bytesByClass;
        this.totalBytes = totalBytes;
    }

    /** @return this JVM's live heap as {@code GC.class_histogram} prints it, after the full GC that runs */
    static String take() throws JMException {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }

    /** @param text the histogram as {@code GC.class_histogram} prints it */
    static ClassHistogram parse(String text) {
        Map<String, Long> bytes = new HashMap<>();
        long total = -1;
        for (String line : text.split("\\R")) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                // One class name can be loaded by several loaders; they are one kind of object here.
                bytes.merge(row.group(3), Long.parseLong(row.group(2)), Long::sum);
                continue;
            }
            Matcher sum = TOTAL.matcher(line);
            if (sum.find()) {
                total = Long.parseLong(sum.group(2));
            }
        }
        if (total < 0) {
            throw new IllegalArgumentException("no Total line in the class histogram");
        }
        return new ClassHistogram(bytes, total);
    }

    /** @return the bytes of all live objects */
    long totalBytes() {
        return totalBytes;
    }

    /**
     * @param before an earlier histogram
     * @return the classes whose live bytes grew since {@code before}, largest growth first
     */
    Map<String, Long> grownSince(ClassHistogram before) {
        Map<String, Long> grown = new LinkedHashMap<>();
        bytesByClass.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.bytesByClass.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .forEach(e -> grown.put(e.getKey(), e.getValue()));
        return grown;
    }
}
