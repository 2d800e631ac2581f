package dev.arenaflow.bench.stuck;

import dev.arenaflow.bench.BenchMode;
import dev.arenaflow.bench.async.ArenaflowRun;
import dev.arenaflow.bench.async.DelayPlugin;
import java.time.Duration;
import java.util.Locale;

/**
 * The three kinds of bad source the stuck section measures, each beside 1,000 healthy sources.
 *
 * <ul>
 *   <li>{@link #SLOW}: every call of the bad source takes 5 s; it sends a healthy source's share.</li>
 *   <li>{@link #TIMEOUT}: its calls never complete, so each attempt fails at the plugin's
 *       {@code timeout.ms} (default 30 s) and goes to a retry topic; it sends a healthy source's share.</li>
 *   <li>{@link #HOT}: its calls are as fast as anyone's, but it sends 50% of all records.</li>
 * </ul>
 *
 * <p>A slow or stuck source at a healthy source's share fills {@code max.in.flight} only after
 * {@code max.in.flight / its rate} seconds (17 minutes at 1 record/s), so those two start with the
 * backlog it has by then: {@code max.in.flight} of its records, written before the paced input.
 * The run then measures the state the issue describes, not the minutes of filling before it.
 */
enum BadSource {
    SLOW(true, Duration.ofSeconds(10), Duration.ofSeconds(60)),
    TIMEOUT(true, Duration.ofSeconds(38), Duration.ofSeconds(90)),
    HOT(false, Duration.ofSeconds(10), Duration.ofSeconds(60));

    /** The bad source's key. */
    static final String SOURCE = "bad";
    static final Duration SLOW_CALL = Duration.ofSeconds(5);

    private final boolean backlog;
    private final Duration quickWindow;
    private final Duration fullWindow;

    BadSource(boolean backlog, Duration quickWindow, Duration fullWindow) {
        this.backlog = backlog;
        this.quickWindow = quickWindow;
        this.fullWindow = fullWindow;
    }

    /** @return e.g. {@code slow} */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return bad records written before the paced input: the plugin's in-flight bound, or none */
    int backlog(int maxInFlight) {
        return backlog ? maxInFlight : 0;
    }

    /**
     * @param healthySources how many healthy sources take turns
     * @return healthy records sent between two bad ones: one source's share, or one each for hot
     */
    int healthyPerBad(int healthySources) {
        return this == HOT ? 1 : healthySources;
    }

    /**
     * The timeout kind's window holds the first attempt's timeout (30 s after it started) and the
     * return of its retry record (1 s later), so that what a timeout frees is measured too.
     *
     * @return how long healthy throughput and latency are measured
     */
    Duration window(BenchMode mode) {
        return mode.pick(quickWindow, fullWindow);
    }

    /** Makes the run's delay plugin treat {@link #SOURCE} this way. */
    ArenaflowRun configure(ArenaflowRun run) {
        return switch (this) {
            case SLOW -> run.plugin(DelayPlugin.BAD_SOURCE, SOURCE).plugin(DelayPlugin.BAD_LATENCY_MS,
                    SLOW_CALL.toMillis());
            case TIMEOUT -> run.plugin(DelayPlugin.BAD_SOURCE, SOURCE).plugin(DelayPlugin.BAD_HOLD, true);
            case HOT -> run;
        };
    }
}
