package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.topology.DeadLetterLimit;
import dev.arenaflow.topology.arena.ArenaEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Notes what became of each attempt, as {@code offset#attempt} for an emit,
 * {@code dead offset#attempt CODE} and {@code retry offset#attempt CODE tier@notBeforeMs}.
 */
final class RecordingApplier implements Dispatcher.Applier {

    final List<String> applied = new ArrayList<>();
    final List<Failure> failures = new ArrayList<>();
    /** Set: every retry record is too large for its topic, so each becomes a dead letter, as {@link OutcomeApplier} does. */
    boolean retriesTooLarge;

    @Override
    public void emit(ArenaEntry entry, Outcome.Emit emit) {
        applied.add(name(entry));
    }

    @Override
    public void deadLetter(ArenaEntry entry, Failure failure) {
        failures.add(failure);
        applied.add("dead " + name(entry) + " " + failure.code());
    }

    @Override
    public boolean retry(ArenaEntry entry, Duration tier, long notBeforeMs, Failure failure) {
        failures.add(failure);
        if (retriesTooLarge) {
            applied.add("dead " + name(entry) + " " + DeadLetterLimit.RETRY_TOO_LARGE);
            return false;
        }
        applied.add("retry " + name(entry) + " " + failure.code() + " " + tier.toMillis() + "ms@" + notBeforeMs);
        return true;
    }

    private static String name(ArenaEntry entry) {
        return entry.key().offset() + "#" + entry.attempt();
    }
}
