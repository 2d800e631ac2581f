package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Outcome;
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
    public void retry(ArenaEntry entry, Duration tier, long notBeforeMs, Failure failure) {
        failures.add(failure);
        applied.add("retry " + name(entry) + " " + failure.code() + " " + tier.toMillis() + "ms@" + notBeforeMs);
    }

    private static String name(ArenaEntry entry) {
        return entry.key().offset() + "#" + entry.attempt();
    }
}
