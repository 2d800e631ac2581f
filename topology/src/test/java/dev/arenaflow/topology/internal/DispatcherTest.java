package dev.arenaflow.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.topology.PluginLimits;
import dev.arenaflow.topology.arena.ArenaEntry;
import dev.arenaflow.topology.arena.ArenaKey;
import dev.arenaflow.topology.arena.ArenaStore;
import dev.arenaflow.topology.arena.ArenaStoreBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatcher against an arena whose durable entries stand for ones restored after a crash. */
class DispatcherTest {

    private final Map<String, CompletableFuture<Outcome>> pending = new HashMap<>();
    private final List<String> applied = new ArrayList<>();
    private ArenaStore arena;
    private Dispatcher dispatcher;
    private long now;

    @BeforeEach
    void start() {
        arena = ArenaStoreBuilder.arena(Stores.inMemoryKeyValueStore("arena-x")).withLoggingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        arena.init(context.getStateStoreContext(), arena);
        dispatcher = dispatcher(Map.of());
    }

    private Dispatcher dispatcher(Map<String, String> limits) {
        return new Dispatcher(arena, PluginLimits.of(limits), new Handler(), new Recorder(), () -> now, () -> 0.0);
    }

    @Test
    void shouldKeepARestoredOrderedRetryAtTheHeadOfItsSourceUntilItsRetryRecordComesBackAndIsDue() {
        arena.put(entry(10, 1).awaitingRetry());
        arena.put(entry(11, 1));
        arena.put(entry(12, 1));
        arena.flushCache();
        arena.clearCache();
        dispatcher = dispatcher(Map.of("retry.ordered", "true"));

        dispatcher.recover();
        assertThat(pending).isEmpty();
        assertThat(dispatcher.parked()).isEqualTo(3);

        ArenaEntry back = new ArenaEntry(entry(10, 2).key(), 2, 0L, null, new byte[] {1}, new RecordHeaders(), 1_000,
                ArenaEntry.Stage.RETRY_DUE);
        assertThat(dispatcher.submitRetry(back)).isTrue();
        assertThat(dispatcher.submitRetry(back)).isFalse();
        dispatcher.poll();
        assertThat(pending).isEmpty();

        now = 1_000;
        dispatcher.poll();
        assertThat(pending).containsOnlyKeys("10#2");
        pending.remove("10#2").complete(Outcome.emit(List.of()));
        dispatcher.poll();

        assertThat(applied).containsExactly("10#2");
        assertThat(pending).containsOnlyKeys("11#2");
        assertThat(dispatcher.parked()).isZero();
        assertThat(dispatcher.redelivered()).isEqualTo(1);
    }

    @Test
    void shouldWaitForARestoredRetryAsTheSameAttemptWithoutHoldingItsSource() {
        arena.put(new ArenaEntry(entry(10, 3).key(), 3, 0L, null, new byte[] {1}, new RecordHeaders(), 1_000,
                ArenaEntry.Stage.RETRY_DUE));
        arena.flushCache();
        arena.clearCache();

        dispatcher.recover();
        assertThat(dispatcher.submitConsumed(entry(11, 1))).isTrue();
        assertThat(pending).containsOnlyKeys("11#1");

        now = 1_000;
        dispatcher.poll();
        pending.remove("11#1").complete(Outcome.emit(List.of()));
        dispatcher.poll();

        assertThat(pending).containsOnlyKeys("10#3");
    }

    @Test
    void shouldKeepRestoredEntryWhenItsRecordIsConsumedAgainAndThenReleaseTheSource() {
        arena.put(entry(10, 1));
        arena.flushCache();
        arena.clearCache();

        dispatcher.recover();
        assertThat(dispatcher.submitConsumed(entry(10, 1))).isFalse();
        assertThat(dispatcher.submitConsumed(entry(11, 1))).isTrue();
        assertThat(pending).containsOnlyKeys("10#2");

        pending.remove("10#2").complete(Outcome.emit(List.of()));
        dispatcher.poll();

        assertThat(applied).containsExactly("10#2");
        assertThat(pending).containsOnlyKeys("11#1");
        assertThat(dispatcher.redelivered()).isEqualTo(1);
    }

    private static ArenaEntry entry(long offset, int attempt) {
        return new ArenaEntry(new ArenaKey("raw-events", 0, offset), attempt, 0L, null, new byte[] {1},
                new RecordHeaders());
    }

    /** Notes what became of each attempt as {@code offset#attempt}. */
    private final class Recorder implements Dispatcher.Applier {

        @Override
        public void emit(ArenaEntry entry, Outcome.Emit emit) {
            applied.add(entry.key().offset() + "#" + entry.attempt());
        }

        @Override
        public void deadLetter(ArenaEntry entry, Failure failure) {
            applied.add("dead " + entry.key().offset() + "#" + entry.attempt() + " " + failure.code());
        }

        @Override
        public void retry(ArenaEntry entry, java.time.Duration tier, long notBeforeMs, Failure failure) {
            applied.add("retry " + entry.key().offset() + "#" + entry.attempt() + " " + failure.code());
        }
    }

    /** One source for all entries; every dispatch stays pending until the test completes it. */
    private final class Handler implements Dispatcher.Handler {

        @Override
        public Outcome handle(ArenaEntry entry) {
            CompletableFuture<Outcome> future = new CompletableFuture<>();
            pending.put(entry.key().offset() + "#" + entry.attempt(), future);
            return Outcome.later(future);
        }

        @Override
        public String sourceOf(ArenaEntry entry) {
            return "s";
        }
    }
}
