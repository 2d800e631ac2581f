package dev.arenaflow.bench.async;

import dev.arenaflow.bench.BenchEnv;
import dev.arenaflow.bench.BenchMode;
import dev.arenaflow.bench.BenchResult;
import dev.arenaflow.bench.BenchSection;
import dev.arenaflow.local.LocalStack;
import dev.arenaflow.topology.PluginLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Async plugins: arenaflow running the {@link DelayPlugin} (20 ms of simulated non-blocking I/O,
 * at most 1,000 messages in flight per task, ordered per source) against the same work done
 * synchronously, against Parallel Consumer in KEY order with 1,000 workers, and against the
 * bound min(passthrough, in-flight bound / latency x partitions). All on one broker and one
 * pre-produced input, with 1 and with 4 partitions; records/s from start until a read_committed
 * consumer saw every output. Quick mode: 50,000 records; full: 500,000.
 */
public final class AsyncSection implements BenchSection {

    static final Duration LATENCY = Duration.ofMillis(20);
    static final int MAX_IN_FLIGHT = 1000;
    /** More sources than the in-flight bound, so per-source order rarely makes a message wait. */
    static final int SOURCES = 10_000;
    private static final String GUARANTEE = StreamsConfig.AT_LEAST_ONCE;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final int WARM_UP_RECORDS = 5_000;

    @Override
    public String name() {
        return "async";
    }

    @Override
    public List<BenchResult> run(BenchMode mode, BenchEnv env) throws Exception {
        List<BenchResult> results = new ArrayList<>();
        WarmUp warmUp = warmUp(env);
        for (int partitions : List.of(1, 4)) {
            results.addAll(measure(env, warmUp, partitions, mode.pick(50_000, 500_000), mode.pick(10, 30)));
        }
        return results;
    }

    /** Runs the passthrough and arenaflow once on a small input, so the first measured run is not also a JIT warm-up. */
    private static WarmUp warmUp(BenchEnv env) throws Exception {
        LocalStack stack = env.stack();
        WarmUp warmUp = new WarmUp("async.raw.warm-up", WARM_UP_RECORDS);
        stack.kafka().createTopics(Map.of(warmUp.topic(), 1));
        RawInput.produce(stack.kafka().bootstrapServers(), warmUp.topic(), warmUp.records(), SOURCES);
        BenchEnv.progress("async: warming up on " + warmUp.records() + " records");
        PassthroughRun.measure(stack, "passthrough-warm-up", warmUp.topic(), 1, warmUp.records(), GUARANTEE,
                state(env, "passthrough-warm-up"), TIMEOUT);
        delayRun(env, "async-warm-up", warmUp.topic(), false).untilAll(warmUp.records(), 1, TIMEOUT);
        return warmUp;
    }

    private List<BenchResult> measure(BenchEnv env, WarmUp warmUp, int partitions, int records, int syncSeconds)
            throws Exception {
        LocalStack stack = env.stack();
        String p = "p" + partitions;
        String input = "async.raw." + p;
        stack.kafka().createTopics(Map.of(input, partitions));
        BenchEnv.progress("async " + p + ": producing " + records + " records of " + SOURCES + " sources");
        RawInput.produce(stack.kafka().bootstrapServers(), input, records, SOURCES);

        BenchEnv.progress("async " + p + ": Kafka Streams passthrough");
        Throughput passthrough = PassthroughRun.measure(stack, "passthrough-" + p, input, partitions, records, GUARANTEE,
                state(env, "passthrough-" + p), TIMEOUT);
        BenchEnv.progress("async " + p + ": arenaflow, async delay plugin");
        Throughput async = delayRun(env, "async-" + p, input, false).untilAll(records, partitions, TIMEOUT);
        BenchEnv.progress("async " + p + ": arenaflow, blocking delay plugin, " + syncSeconds + " s window");
        double sync = delayRun(env, "sync-" + p, syncInput(stack, p, partitions, syncSeconds), true)
                .overWindow(Duration.ofSeconds(syncSeconds), partitions);
        BenchEnv.progress("async " + p + ": Parallel Consumer");
        ParallelConsumerResult pc = ParallelConsumerResult.measure(stack, env.work().resolve("pc"), "pc-" + p, input,
                partitions, records, MAX_IN_FLIGHT, LATENCY, warmUp, TIMEOUT);

        String name = "e2e.async.delay20ms.ordered.alos." + p;
        double bound = Math.min(passthrough.perSecond(), MAX_IN_FLIGHT * 1000.0 / LATENCY.toMillis() * partitions);
        String how = String.format(Locale.ROOT, "%,d records, %,d sources, per-source order (ordered=true), "
                + "max.in.flight %d, at_least_once, 1 stream thread", records, SOURCES, MAX_IN_FLIGHT);
        List<BenchResult> results = new ArrayList<>(List.of(
                BenchResult.alone("e2e.passthrough.alos." + p, passthrough.perSecond(), "records/s")
                        .withNote("Kafka Streams byte copy A->B, same input; " + passthrough.describe()),
                BenchResult.against(name, async.perSecond(), "records/s", "same plugin blocking 20 ms in handle", sync)
                        .withNote(how + "; " + async.describe() + "; baseline over a " + syncSeconds
                                + " s window after its first snapshot"),
                BenchResult.against(name + ".vs-bound", async.perSecond(), "records/s",
                        "min(passthrough, " + MAX_IN_FLIGHT + " / 20 ms x " + partitions + " partition(s))", bound)
                        .withNote("target: ratio >= 0.8")));
        results.add(pc.against(name + ".vs-parallel-consumer", async.perSecond(), partitions == 1 ? ""
                : "; arenaflow's in-flight bound is per task, here " + partitions + " x " + MAX_IN_FLIGHT
                        + ", Parallel Consumer's per consumer"));
        return results;
    }

    /**
     * The first records of the same input, a few seconds more than the blocking run can handle in
     * its window: a stream thread that sleeps in handle works through all it has buffered before
     * it notices a close, so a full input would keep it busy (and the machine shared) for minutes.
     */
    private static String syncInput(LocalStack stack, String p, int partitions, int seconds) throws Exception {
        String topic = "async.raw.sync." + p;
        stack.kafka().createTopics(Map.of(topic, partitions));
        int atMost = (int) (1000 / LATENCY.toMillis()); // one stream thread, whatever the partitions
        RawInput.produce(stack.kafka().bootstrapServers(), topic, (seconds + 3) * atMost, SOURCES);
        return topic;
    }

    private static ArenaflowRun delayRun(BenchEnv env, String label, String input, boolean blocking)
            throws Exception {
        return ArenaflowRun.of(env.stack(), new RunTopics(label), input, state(env, label), GUARANTEE)
                .plugin(PluginLimits.MAX_IN_FLIGHT, MAX_IN_FLIGHT)
                .plugin(PluginLimits.ORDERED, true)
                .plugin(DelayPlugin.LATENCY_MS, LATENCY.toMillis())
                .plugin(DelayPlugin.BLOCKING, blocking);
    }

    private static Path state(BenchEnv env, String label) {
        return env.work().resolve("state-" + label);
    }
}
