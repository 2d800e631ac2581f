package dev.arenaflow.bench.memory;

import dev.arenaflow.bench.BenchEnv;
import dev.arenaflow.bench.BenchMode;
import dev.arenaflow.bench.BenchResult;
import dev.arenaflow.bench.BenchSection;
import dev.arenaflow.bench.SampleRecords;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaKey;
import dev.arenaflow.topology.arena.ArenaStore;
import dev.arenaflow.topology.arena.ArenaStoreBuilder;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.management.JMException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;

/**
 * {@code memory}: the heap one pending arena entry holds, for records with a 256-byte payload.
 *
 * <p>An entry refers to the consumed record's key and value arrays instead of copying them. So the
 * live heap is taken three times over the same N records: with an empty arena, with the records
 * consumed (their key and value arrays, as the consumer hands them over), and with them held as
 * pending entries. That gives two honest figures, each compared with the raw bytes of key and value:
 * <ul>
 *   <li>{@code memory.arena.entry}: everything a pending entry keeps alive, arrays included, since
 *       without the arena they would be garbage once the record is handled;</li>
 *   <li>{@code memory.arena.overhead}: what the arena adds beyond the consumed arrays.</li>
 * </ul>
 * The headers object counts as the arena's: Kafka Streams' {@code Record} copies the consumer's
 * headers into a new one per record, and the entry is what keeps that copy alive. Not counted:
 * what a commit adds for an entry still pending then (its encoded copy in the durable store,
 * RocksDB in production), and the dispatcher's own bookkeeping per message.
 */
public final class MemorySection implements BenchSection {

    private static final String TOPIC = "raw-events";
    private static final long SEED = 7;
    private static final long TIMESTAMP = 1_764_000_000_000L;
    private static final Headers CONSUMED_HEADERS = new RecordHeaders();
    private static final int CLASSES_SHOWN = 8;
    private static final int WARM_UP_ENTRIES = 2_000;

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public List<BenchResult> run(BenchMode mode, BenchEnv env) throws Exception {
        // A first, small round loads every class the steps use, so that what loading leaves on the
        // heap (class mirrors, locale data for String.format, interned strings) is not counted per entry.
        measure(WARM_UP_ENTRIES, env.work());
        Steps steps = measure(mode.pick(20_000, 100_000), env.work());
        BenchEnv.progress("memory: per entry, the arena adds " + perEntry(steps.held().classes()
                .grownSince(steps.consumed().classes()), steps.entries()));
        return steps.results();
    }

    private static Steps measure(int n, Path work) throws JMException, IOException {
        ArenaStore arena = emptyArena();
        // Allocated before the first snapshot, so that only what they come to refer to is counted.
        byte[][] keys = new byte[n][];
        byte[][] values = new byte[n][];
        try {
            HeapSnapshot empty = HeapSnapshot.take(work.resolve("memory-empty.txt"));
            long rawBytes = consume(keys, values);
            HeapSnapshot consumed = HeapSnapshot.take(work.resolve("memory-consumed.txt"));
            hold(arena, keys, values);
            return new Steps(n, rawBytes, empty, consumed, HeapSnapshot.take(work.resolve("memory-held.txt")));
        } finally {
            Reference.reachabilityFence(keys);
            Reference.reachabilityFence(values);
            arena.close();
        }
    }

    /** The durable store stays empty: entries reach it only at a commit, which this never runs. */
    private static ArenaStore emptyArena() {
        ArenaStore arena = ArenaStoreBuilder.arena(Stores.inMemoryKeyValueStore("bench-arena"))
                .withLoggingDisabled().build();
        arena.init(new MockProcessorContext<>().getStateStoreContext(), arena);
        arena.size(); // loads the (empty) durable store now, not inside a measured step
        return arena;
    }

    /** Fills in one key and one value array per record, as the consumer does; returns their bytes. */
    private static long consume(byte[][] keys, byte[][] values) {
        SampleRecords samples = new SampleRecords(SEED);
        long bytes = 0;
        for (int i = 0; i < keys.length; i++) {
            keys[i] = SampleRecords.key(i);
            values[i] = samples.value(i);
            bytes += keys[i].length + values[i].length;
        }
        return bytes;
    }

    /** Puts each record into the arena the way PluginProcessor does for a newly consumed record. */
    private static void hold(ArenaStore arena, byte[][] keys, byte[][] values) {
        for (int i = 0; i < keys.length; i++) {
            Record<byte[], byte[]> record = new Record<>(keys[i], values[i], TIMESTAMP + i, CONSUMED_HEADERS);
            // The topic string is one instance per partition in Kafka's consumer too, so it is shared here.
            arena.put(new ArenaEntry(new ArenaKey(TOPIC, 0, i), 1, record.timestamp(), record.key(), record.value(),
                    record.headers()));
        }
        if (arena.size() != keys.length) {
            throw new IllegalStateException("the arena holds " + arena.size() + " entries, not " + keys.length);
        }
    }

    /** The live heap before the records, with them consumed, and with them held as pending entries. */
    private record Steps(int entries, long rawBytes, HeapSnapshot empty, HeapSnapshot consumed, HeapSnapshot held) {

        List<BenchResult> results() {
            double raw = (double) rawBytes / entries;
            long emptyBytes = empty.liveBytes();
            long consumedBytes = consumed.liveBytes();
            long heldBytes = held.liveBytes();
            return List.of(
                    perEntry("memory.arena.entry", heldBytes - emptyBytes, raw),
                    perEntry("memory.arena.overhead", heldBytes - consumedBytes, raw),
                    perEntry("memory.record.heap", consumedBytes - emptyBytes, raw),
                    perEntry("memory.arena.entry.heapUsed", held.heapUsed() - empty.heapUsed(), raw));
        }

        private BenchResult perEntry(String name, long bytes, double raw) {
            return BenchResult.against(name, (double) bytes / entries, "B/entry", "memory.record.bytes", raw);
        }
    }

    private static String perEntry(Map<String, Long> grown, int n) {
        return grown.entrySet().stream()
                .filter(e -> e.getValue() * 10 >= n) // leaves out what grew by less than 0.1 B per entry
                .limit(CLASSES_SHOWN)
                .map(e -> String.format(Locale.ROOT, "%s %.1f B", e.getKey(), (double) e.getValue() / n))
                .collect(Collectors.joining(", "));
    }
}
