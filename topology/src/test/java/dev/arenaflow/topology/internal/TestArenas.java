package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaKey;
import dev.arenaflow.topology.arena.ArenaStore;
import dev.arenaflow.topology.arena.ArenaStoreBuilder;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.Stores;

/** Arenas and entries for the tests of the dispatcher and its parts. */
final class TestArenas {

    private TestArenas() {
    }

    /** @return an empty arena over an in-memory store, without a changelog */
    static ArenaStore arena() {
        ArenaStore arena = ArenaStoreBuilder.arena(Stores.inMemoryKeyValueStore("arena-x")).withLoggingDisabled().build();
        arena.init(new MockProcessorContext<>().getStateStoreContext(), arena);
        return arena;
    }

    /** Makes the arena's entries durable and drops them from memory, so they read as restored after a restart. */
    static void restart(ArenaStore arena) {
        arena.flushCache();
        arena.clearCache();
    }

    /** @return a message of source {@code s1} at an offset of {@code raw-events-0} */
    static ArenaEntry entry(long offset, int attempt) {
        return entry(offset, attempt, 1);
    }

    /** @param source the source's number: the test handlers read source {@code s<n>} from the value's first byte */
    static ArenaEntry entry(long offset, int attempt, int source) {
        return new ArenaEntry(new ArenaKey("raw-events", 0, offset), attempt, 0L, null, new byte[] {(byte) source},
                new RecordHeaders());
    }

    /** @return the message at its next attempt, back from a retry topic and due at a time */
    static ArenaEntry backFromRetry(ArenaEntry entry, long notBeforeMs) {
        return new ArenaEntry(entry.key(), entry.attempt() + 1, entry.timestamp(), entry.recordKey(), entry.value(),
                entry.headers(), notBeforeMs, ArenaEntry.Stage.RETRY_DUE);
    }

    /** @return the source the test handlers read from an entry */
    static String sourceOf(ArenaEntry entry) {
        return "s" + entry.value()[0];
    }
}
