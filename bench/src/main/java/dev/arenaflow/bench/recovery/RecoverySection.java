package dev.arenaflow.bench.recovery;

import dev.arenaflow.bench.BenchEnv;
import dev.arenaflow.bench.BenchMode;
import dev.arenaflow.bench.BenchResult;
import dev.arenaflow.bench.BenchSection;
import dev.arenaflow.bench.async.ArenaflowRun;
import dev.arenaflow.bench.async.ChildRun;
import dev.arenaflow.bench.async.DelayPlugin;
import dev.arenaflow.bench.async.RawInput;
import dev.arenaflow.bench.async.RunTopics;
import dev.arenaflow.local.LocalStack;
import dev.arenaflow.topology.PluginLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Recovery after a crash: an instance whose async plugin completes nothing fills its arena with
 * pending entries until they are durable (their input offsets committed, so they are in the arena's
 * changelog), is killed with SIGKILL, and is restarted on the same state folder with a plugin that
 * completes each message in 1 ms. Measured: seconds from the restart (a new JVM) until the first
 * snapshot, and until every pending entry has its snapshot; the baseline is the restart until
 * Kafka Streams runs.
 */
public final class RecoverySection implements BenchSection {

    private static final int SOURCES = 10_000;
    private static final String INPUT = "recovery.raw";
    private static final Duration FILL = Duration.ofMinutes(2);
    private static final Duration RESOLVE = Duration.ofMinutes(3);

    @Override
    public String name() {
        return "recovery";
    }

    @Override
    public List<BenchResult> run(BenchMode mode, BenchEnv env) throws Exception {
        int pending = mode.pick(20_000, 100_000);
        LocalStack stack = env.stack();
        stack.kafka().createTopics(Map.of(INPUT, 1));
        RawInput.produce(stack.kafka().bootstrapServers(), INPUT, pending, SOURCES);
        RunTopics topics = new RunTopics("recovery");
        Path dir = env.work().resolve("recovery");

        run(env, topics, pending, true).prepareTopics();
        BenchEnv.progress("recovery: filling the arena with " + pending + " pending entries");
        try (ChildRun held = start("held", dir, settings(env, topics, pending, true))) {
            held.await("ARENA", pending, FILL);
            awaitCommitted(stack, "bench-" + topics.label(), pending, held);
            held.kill();
        }
        BenchEnv.progress("recovery: killed with SIGKILL; restarting with a plugin that completes in 1 ms");
        try (SnapshotWatch watch = new SnapshotWatch(stack.kafka().bootstrapServers(),
                topics.snapshots(DelayPlugin.NAME))) {
            long restartMs = System.currentTimeMillis();
            try (ChildRun restarted = start("restarted", dir, settings(env, topics, pending, false))) {
                long allMs = watch.awaitAll(pending, RESOLVE, restarted);
                double running = (restarted.await("RUNNING", 0, RESOLVE) - restartMs) / 1000.0;
                double first = (watch.firstAtMs() - restartMs) / 1000.0;
                double all = (allMs - restartMs) / 1000.0;
                String how = String.format(Locale.ROOT, "%,d entries pending at the SIGKILL (%,d restored, %,d "
                                + "snapshots seen, %,d of a second attempt); same state dir, static membership, "
                                + "at_least_once; restart includes the new JVM's start", pending,
                        restarted.restoredEntries(), watch.snapshots(), watch.retried());
                String baseline = "restart to Kafka Streams RUNNING";
                return List.of(BenchResult.against("recovery.first.snapshot", first, "s", baseline, running)
                                .withNote(how),
                        BenchResult.against("recovery.all.resolved", all, "s", baseline, running).withNote(how),
                        BenchResult.alone("recovery.resolve.rate", pending / (all - first), "entries/s")
                                .withNote("from the first snapshot to the last"));
            }
        }
    }

    private static ChildRun start(String name, Path dir, Map<String, String> settings) throws Exception {
        return ChildRun.start(name, dir, System.getProperty("java.class.path"), RecoveryApp.class,
                settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private static Map<String, String> settings(BenchEnv env, RunTopics topics, int pending, boolean hold)
            throws Exception {
        return run(env, topics, pending, hold).settings();
    }

    /**
     * Static membership: the restarted instance takes over its partition at once instead of
     * waiting for the killed one's session to expire, as a StatefulSet pod restart would.
     */
    private static ArenaflowRun run(BenchEnv env, RunTopics topics, int pending, boolean hold) throws Exception {
        return ArenaflowRun.of(env.stack(), topics, INPUT, env.work().resolve("recovery").resolve("state"),
                        StreamsConfig.AT_LEAST_ONCE)
                .set(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000)
                .set(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "bench-recovery")
                .set(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000)
                .set(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1500)
                .plugin(PluginLimits.MAX_IN_FLIGHT, pending)
                .plugin(PluginLimits.TIMEOUT_MS, 120_000)
                .plugin(DelayPlugin.HOLD, hold)
                .plugin(DelayPlugin.LATENCY_MS, 1);
    }

    /** Under at-least-once the arena is flushed to its changelog before the input offsets are committed. */
    private static void awaitCommitted(LocalStack stack, String group, long offset, ChildRun child) throws Exception {
        long deadline = System.nanoTime() + FILL.toNanos();
        try (Admin admin = stack.kafka().admin()) {
            while (committed(admin, group) < offset) {
                child.assertAlive();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("input offset " + offset + " not committed within " + FILL);
                }
                Thread.sleep(100);
            }
        }
    }

    private static long committed(Admin admin, String group) throws Exception {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .get(new TopicPartition(INPUT, 0));
        return committed == null ? -1 : committed.offset();
    }
}
