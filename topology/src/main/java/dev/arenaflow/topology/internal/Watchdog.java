package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.PluginLimits;

/**
 * Tells when a plugin's task has stalled: attempts are in flight and no outcome has been applied
 * for {@code watchdog.no.progress.ms}, or an attempt has been in flight for longer than
 * {@code watchdog.max.age.ms}. A paused or disabled plugin has not stalled: holding is what it was
 * asked to do. A stall starts once, and ends with the next outcome applied while no attempt is
 * past the age; the caller logs, counts and acts on the start.
 *
 * <p>Threading notes: stream thread only.
 */
final class Watchdog {

    /** What the watchdog reads of its task at each check. */
    interface Task {
        /** @return outcomes applied so far; any change is progress */
        long outcomes();

        /** @return attempts in flight */
        int inFlight();

        /** @return when the oldest attempt in flight started, in ms, or -1 if none */
        long oldestStartMs();

        /** @return true while the plugin is paused or disabled */
        boolean halted();
    }

    private final PluginLimits.Watchdog settings;
    private final Task task;
    private long lastOutcomes;
    private long progressMs;
    private boolean stalled;
    private long stalls;

    /** @param nowMs the time the task opened, from which progress is counted */
    Watchdog(PluginLimits.Watchdog settings, Task task, long nowMs) {
        this.settings = settings;
        this.task = task;
        this.lastOutcomes = task.outcomes();
        this.progressMs = nowMs;
    }

    /**
     * @param nowMs the time now
     * @return why the task stalled, if a stall starts with this check; null otherwise
     */
    String check(long nowMs) {
        long outcomes = task.outcomes();
        boolean progressed = outcomes != lastOutcomes;
        int inFlight = task.inFlight();
        if (progressed || inFlight == 0 || task.halted()) {
            lastOutcomes = outcomes;
            progressMs = nowMs;
        }
        long oldest = task.oldestStartMs();
        String why = null;
        if (settings.noProgressMs() > 0 && nowMs - progressMs >= settings.noProgressMs()) {
            why = "no outcome applied for " + (nowMs - progressMs) + " ms (watchdog.no.progress.ms "
                    + settings.noProgressMs() + ") with " + inFlight + " attempts in flight";
        } else if (settings.maxAgeMs() > 0 && oldest >= 0 && !task.halted() && nowMs - oldest > settings.maxAgeMs()) {
            why = "an attempt has been in flight for " + (nowMs - oldest) + " ms (watchdog.max.age.ms "
                    + settings.maxAgeMs() + "), with " + inFlight + " attempts in flight";
        }
        if (why == null) {
            stalled = false;
            return null;
        }
        if (stalled) {
            return null;
        }
        stalled = true;
        stalls++;
        return why;
    }

    /** @return true from a stall's start until the task makes progress again */
    boolean stalled() {
        return stalled;
    }

    /** @return stalls started */
    long stalls() {
        return stalls;
    }
}
