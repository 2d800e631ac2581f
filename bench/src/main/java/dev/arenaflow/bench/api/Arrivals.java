package dev.arenaflow.bench.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one reader (a plain consumer or a gRPC subscriber) received: per snapshot position, its
 * input's sequence and the moment it arrived ({@code System.nanoTime()} of this JVM), and every
 * position received more than once, or out of order within its partition.
 */
final class Arrivals {

    /** One received snapshot. */
    record Arrival(long sequence, long nanos) {
    }

    private final String reader;
    private final Map<Long, Arrival> byPosition = new ConcurrentHashMap<>();
    private final Map<Integer, Long> lastOffset = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();

    Arrivals(String reader) {
        this.reader = reader;
    }

    /** @return a snapshot's position as one number */
    static long position(int partition, long offset) {
        return (long) partition << 40 | offset;
    }

    /** Called by the reader's one delivering thread at a time. */
    void add(int partition, long offset, long sequence, long nanos) {
        if (byPosition.putIfAbsent(position(partition, offset), new Arrival(sequence, nanos)) != null) {
            duplicates.incrementAndGet();
        }
        Long before = lastOffset.put(partition, offset);
        if (before != null && before >= offset) {
            outOfOrder.incrementAndGet();
        }
    }

    int count() {
        return byPosition.size();
    }

    Map<Long, Arrival> byPosition() {
        return byPosition;
    }

    String reader() {
        return reader;
    }

    /**
     * @param expected the positions the plain consumer received in the same window
     * @throws IllegalStateException naming what is missing, extra, duplicated or out of order
     */
    void assertExactly(Map<Long, Arrival> expected) {
        long missing = expected.keySet().stream().filter(p -> !byPosition.containsKey(p)).count();
        long extra = byPosition.keySet().stream().filter(p -> !expected.containsKey(p)).count();
        if (missing > 0 || extra > 0 || duplicates.get() > 0 || outOfOrder.get() > 0) {
            throw new IllegalStateException(reader + ": of " + expected.size() + " snapshots, " + missing
                    + " missing, " + extra + " not on the topic in this window, " + duplicates.get()
                    + " duplicated, " + outOfOrder.get() + " out of partition order");
        }
    }
}
