package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.PluginLimits;
import java.util.function.BooleanSupplier;

/**
 * Keeps one slow, stuck or hot source from taking the in-flight capacity of every other source.
 * With per-source order the messages of a source wait behind its head in the arena; they would
 * count towards {@code max.in.flight}, and a source whose calls hang or that sends half of all
 * records would soon fill it, and the stream thread, waiting for room, would stall every source.
 *
 * <p>A source is quarantined when its head (its oldest un-acknowledged message) arrived more than
 * {@code quarantine.after.ms} ago, or when more than {@code quarantine.max.share} of
 * {@code max.in.flight} waits behind its head. Its waiting messages then count as parked, against
 * {@code retry.max.parked} (past which a new one is a {@code PARKED_LIMIT} dead letter); they stay
 * in the arena, whose changelog keeps them, and are dispatched in input order as before. Its head
 * still counts as in flight. It is released when one of its heads resolves and the source has
 * caught up: its next message arrived within {@code quarantine.after.ms} and no more than the
 * share waits behind it. Quarantining changes what a source's backlog counts against, never the
 * order or the outcome of its messages. While the plugin is paused or disabled nothing is
 * quarantined or released: its held messages have their own bound.
 *
 * <p>Threading notes: stream thread only.
 */
final class Quarantine {

    /** Told when a source is quarantined or released, for the log. */
    interface Listener {
        void quarantined(String source, String why);

        void released(String source);
    }

    private static final long MAX_SWEEP_INTERVAL_MS = 1_000;

    private final SourceQueues queues;
    private final PluginLimits.Quarantine settings;
    private final BooleanSupplier halted;
    private final int maxWaiting;
    private final long sweepIntervalMs;
    private Listener listener = new Listener() {
        @Override
        public void quarantined(String source, String why) {
        }

        @Override
        public void released(String source) {
        }
    };
    private long nextSweepMs;
    private long quarantines;

    /** @param halted true while the plugin is paused or disabled: its held messages have their own bound */
    Quarantine(SourceQueues queues, PluginLimits.Quarantine settings, int maxInFlight, BooleanSupplier halted) {
        this.queues = queues;
        this.settings = settings;
        this.halted = halted;
        this.maxWaiting = settings.maxWaiting(maxInFlight);
        this.sweepIntervalMs = Math.max(1, Math.min(settings.afterMs() / 4, MAX_SWEEP_INTERVAL_MS));
    }

    void listen(Listener listener) {
        this.listener = listener;
    }

    /** A message was queued behind the source's head. */
    void afterWait(String source) {
        if (settings.enabled() && !halted.getAsBoolean() && !queues.quarantined(source)
                && queues.behindHead(source) > maxWaiting) {
            quarantine(source, queues.behindHead(source) + " messages wait behind its head, more than "
                    + maxWaiting + " (quarantine.max.share of max.in.flight)");
        }
    }

    /** The source's head resolved; it has a next one, now its head. */
    void afterResolve(String source, long nowMs) {
        if (!settings.enabled() || halted.getAsBoolean()) {
            return;
        }
        boolean behind = queues.behindHead(source) > maxWaiting;
        boolean old = nowMs - queues.headArrivedMs(source) > settings.afterMs();
        if (queues.quarantined(source) && !behind && !old) {
            queues.setQuarantined(source, false);
            listener.released(source);
        } else if (!queues.quarantined(source) && old) {
            quarantine(source, whyOld(source, nowMs));
        } else if (!queues.quarantined(source) && behind) {
            afterWait(source);
        }
    }

    /** Quarantines the sources whose head arrived too long ago; looks at most every quarter of that time. */
    void sweep(long nowMs) {
        if (!settings.enabled() || halted.getAsBoolean() || queues.isEmpty() || nowMs < nextSweepMs) {
            return;
        }
        nextSweepMs = nowMs + sweepIntervalMs;
        for (String source : queues.sources()) {
            if (!queues.quarantined(source) && !queues.retrying(source)
                    && nowMs - queues.headArrivedMs(source) > settings.afterMs()) {
                quarantine(source, whyOld(source, nowMs));
            }
        }
    }

    /** @return sources quarantined now */
    int sources() {
        return queues.quarantinedSources();
    }

    /** @return times a source was quarantined */
    long quarantines() {
        return quarantines;
    }

    private String whyOld(String source, long nowMs) {
        return "its oldest un-acknowledged message arrived " + (nowMs - queues.headArrivedMs(source))
                + " ms ago, longer than quarantine.after.ms (" + settings.afterMs() + "), and "
                + queues.behindHead(source) + " wait behind it";
    }

    private void quarantine(String source, String why) {
        queues.setQuarantined(source, true);
        quarantines++;
        listener.quarantined(source, why);
    }
}
