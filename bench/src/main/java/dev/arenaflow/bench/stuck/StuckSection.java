package dev.arenaflow.bench.stuck;

import dev.arenaflow.bench.BenchEnv;
import dev.arenaflow.bench.BenchMode;
import dev.arenaflow.bench.BenchResult;
import dev.arenaflow.bench.BenchSection;
import dev.arenaflow.bench.async.ArenaflowRun;
import dev.arenaflow.bench.async.ChildRun;
import dev.arenaflow.bench.async.DelayPlugin;
import dev.arenaflow.bench.async.RunTopics;
import dev.arenaflow.bench.recovery.RecoveryApp;
import dev.arenaflow.local.LocalStack;
import dev.arenaflow.topology.PluginLimits;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Issue 15: one bad source beside 1,000 healthy ones, async
 * {@link DelayPlugin} (20 ms), {@code ordered=true}, the plugin's default bounds
 * ({@code max.in.flight} 1,000, {@code timeout.ms} 30 s). For each {@link BadSource} kind, a run
 * with the bad source and its own baseline run without it; measured for the healthy sources only:
 * snapshots per second and send-to-snapshot latency (p50, p99), as ratios with/without.
 *
 * <p>Open loop at a fixed rate: the healthy sources send 1,000 records/s in total (one per source and
 * second) in both runs, a rate the baseline sustains with room to spare even on 2 busy cores (the
 * async section's instance does about 40,000/s), and the hot source adds as many again. A closed-loop producer would slow down with a
 * stalled instance and hide the stall; at a fixed offered rate, the baseline's healthy throughput
 * is that rate, so the ratio is the share of it the healthy sources still get, and the latency is
 * what their records waited. Each instance is a child JVM, killed with SIGKILL at the end: an
 * instance whose arena is full of a stuck source's messages could not be closed in less than its
 * wait for capacity (150 s under at_least_once).
 */
public final class StuckSection implements BenchSection {

    static final int HEALTHY_SOURCES = 1000;
    static final int HEALTHY_PER_SECOND = 1000;
    static final int MAX_IN_FLIGHT = 1000;
    private static final Duration LATENCY = Duration.ofMillis(20);
    // Long enough for the instance to drain what queued while it started, so the baseline is steady.
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final Duration START = Duration.ofMinutes(2);
    private static final String GUARANTEE = StreamsConfig.AT_LEAST_ONCE;

    /** What one run gave. */
    private record Run(HealthyFigures healthy, long badSent, long badSnapshots, long outOfOrder, long duplicates,
                       long arenaAtEnd, double load) {
    }

    @Override
    public String name() {
        return "stuck";
    }

    @Override
    public List<BenchResult> run(BenchMode mode, BenchEnv env) throws Exception {
        List<BenchResult> results = new ArrayList<>();
        for (BadSource kind : BadSource.values()) {
            Run baseline = measure(env, kind, false, mode);
            Run bad = measure(env, kind, true, mode);
            results.addAll(results(kind, mode, baseline, bad));
        }
        return results;
    }

    private static Run measure(BenchEnv env, BadSource kind, boolean withBad, BenchMode mode) throws Exception {
        LocalStack stack = env.stack();
        String label = "stuck-" + kind.label() + (withBad ? "-bad" : "-baseline");
        String input = label + ".raw";
        stack.kafka().createTopics(Map.of(input, 1));
        ArenaflowRun run = ArenaflowRun.of(stack, new RunTopics(label), input, env.work().resolve("state-" + label),
                GUARANTEE).plugin(PluginLimits.ORDERED, true).plugin(DelayPlugin.LATENCY_MS, LATENCY.toMillis());
        if (withBad) {
            kind.configure(run);
        }
        run.prepareTopics();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        BenchEnv.progress(label + ": starting (load average " + load + ")");
        try (ChildRun child = ChildRun.start(label, env.work().resolve("stuck"), System.getProperty("java.class.path"),
                RecoveryApp.class, run.settings().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .toList())) {
            child.await("RUNNING", 0, START);
            return feed(stack, new RunTopics(label).snapshots(DelayPlugin.NAME), input, kind, withBad, mode, child, load);
        }
    }

    private static Run feed(LocalStack stack, String snapshots, String input, BadSource kind, boolean withBad,
                            BenchMode mode, ChildRun child, double load) throws Exception {
        String bootstrap = stack.kafka().bootstrapServers();
        Duration window = kind.window(mode);
        try (SnapshotArrivals arrivals = new SnapshotArrivals(bootstrap, snapshots);
             OpenLoopFeed feed = new OpenLoopFeed(bootstrap, input, HEALTHY_SOURCES)) {
            if (withBad) {
                feed.backlog(kind.backlog(MAX_IN_FLIGHT));
            }
            long start = feed.run(HEALTHY_PER_SECOND, withBad ? kind.healthyPerBad(HEALTHY_SOURCES) : 0,
                    WARM_UP.plus(window));
            long from = start + WARM_UP.toNanos();
            long to = from + window.toNanos();
            awaitWindow(feed.healthy(), arrivals, from, to, child);
            arrivals.close();
            long stopped = System.nanoTime();
            long arena = child.last("ARENA").orElse(-1L);
            child.kill();
            HealthyFigures figures = HealthyFigures.of(feed.healthy(), arrivals.healthy(), from, to, stopped);
            BenchEnv.progress("  healthy: " + figures.describe());
            return new Run(figures, feed.badSent(), arrivals.bad(), arrivals.outOfOrder(), arrivals.duplicates(),
                    arena, load);
        }
    }

    /** Waits until every healthy input sent in the window has its snapshot, or {@link #GRACE} has passed. */
    private static void awaitWindow(Map<Long, Long> sent, SnapshotArrivals arrivals, long from, long to,
                                    ChildRun child) throws InterruptedException {
        List<Long> expected = sent.entrySet().stream().filter(e -> e.getValue() >= from && e.getValue() < to)
                .map(Map.Entry::getKey).toList();
        long deadline = System.nanoTime() + GRACE.toNanos();
        while (System.nanoTime() < deadline && !arrivals.healthy().keySet().containsAll(expected)) {
            child.assertAlive();
            Thread.sleep(50);
        }
    }

    private static List<BenchResult> results(BadSource kind, BenchMode mode, Run baseline, Run bad) {
        String name = "stuck." + kind.label() + ".healthy";
        String without = "same run without the bad source";
        String how = String.format(Locale.ROOT, "%,d healthy sources at %,d records/s in total (open loop), bad "
                        + "source %s; delay plugin %d ms, ordered=true, default max.in.flight %d and timeout.ms 30 s, "
                        + "1 partition, %s; %d s window after a %d s warm-up; with: %s; without: %s",
                HEALTHY_SOURCES, HEALTHY_PER_SECOND, describe(kind), LATENCY.toMillis(), MAX_IN_FLIGHT, GUARANTEE,
                kind.window(mode).toSeconds(), WARM_UP.toSeconds(), bad.healthy().describe(),
                baseline.healthy().describe());
        String after = String.format(Locale.ROOT, "; bad source: %,d sent, %,d snapshots; arena entries at the end "
                        + "%,d (without: %,d); healthy snapshots out of source order %d, repeated %d; load average %.2f "
                        + "/ %.2f at the start (with / without)", bad.badSent(), bad.badSnapshots(), bad.arenaAtEnd(),
                baseline.arenaAtEnd(), bad.outOfOrder() + baseline.outOfOrder(),
                bad.duplicates() + baseline.duplicates(), bad.load(), baseline.load());
        return List.of(
                BenchResult.against(name + ".throughput", bad.healthy().perSecond(), "records/s", without,
                        baseline.healthy().perSecond()).withNote(how + after
                        + "; target: ratio >= 0.9"),
                BenchResult.against(name + ".p99", bad.healthy().p99Ms(), "ms", without, baseline.healthy().p99Ms())
                        .withNote("target: ratio <= 2"
                                + (bad.healthy().missing() > 0 ? "; a lower bound, see the throughput row" : "")),
                BenchResult.against(name + ".p50", bad.healthy().p50Ms(), "ms", without, baseline.healthy().p50Ms()));
    }

    private static String describe(BadSource kind) {
        return switch (kind) {
            case SLOW -> "'bad' whose every call takes 5 s, at a healthy source's share, with a backlog of "
                    + MAX_IN_FLIGHT + " records first";
            case TIMEOUT -> "'bad' whose calls never complete (TIMEOUT after 30 s, then retried), at a healthy "
                    + "source's share, with a backlog of " + MAX_IN_FLIGHT + " records first";
            case HOT -> "'bad' sending 50% of all records (as many as all healthy sources together), calls as fast "
                    + "as theirs";
        };
    }
}
