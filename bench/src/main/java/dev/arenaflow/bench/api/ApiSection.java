package dev.arenaflow.bench.api;

import dev.arenaflow.api.v1.StartPosition;
import dev.arenaflow.bench.BenchEnv;
import dev.arenaflow.bench.BenchMode;
import dev.arenaflow.bench.BenchResult;
import dev.arenaflow.bench.BenchSection;
import dev.arenaflow.bench.async.ArenaflowRun;
import dev.arenaflow.bench.async.ChildRun;
import dev.arenaflow.bench.async.RunTopics;
import dev.arenaflow.bench.plugins.CountPlugin;
import dev.arenaflow.local.LocalStack;
import dev.arenaflow.topology.ArenaflowConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The API layer (issue 11) on a real broker and registry: two arenaflow instances, each in its own
 * JVM with its gRPC API, share a 4-partition input under exactly_once_v2, running the cheap
 * {@code sync-count} plugin (one snapshot per input record).
 *
 * <ul>
 *   <li>GetLatest, asked of instance A: latency for sources A owns (answered here) and for sources B
 *   owns (forwarded to B), one request at a time, and throughput with 16 in flight. Every answer
 *   is checked against the topic's last snapshot of its source. Baselines: the standard health
 *   check on the same channel (a bare gRPC round trip) for local, local for forwarded.</li>
 *   <li>Subscribe, 1, 10 and 100 subscribers of A from the latest position, each on its own
 *   channel, against a plain read_committed consumer of the snapshot topic in the same JVM and the
 *   same phase, while input is sent at a fixed rate. Latency is from the input's send to the
 *   snapshot's arrival, on the bench JVM's clock, for both. Every subscriber must receive exactly
 *   the snapshots the plain consumer received, each once, in partition order, or the section
 *   fails. CPU is instance A's process CPU time (its Kafka Streams work included, the same in
 *   every phase) per 1000 snapshots; a phase without subscribers shows the part that is not
 *   the API's. At this offered rate throughput only shows that the streams keep up: a live
 *   subscriber that falls more than its buffer behind is ended (RESOURCE_EXHAUSTED), so a rate the
 *   machine cannot deliver fails the phase rather than measuring it.</li>
 *   <li>Subscribe from the earliest position, 1, 10 and 100 subscribers reading the whole topic
 *   through the flow-controlled catch-up path, against a plain consumer reading it from the
 *   beginning: the throughput when the stream, not the input, sets the pace.</li>
 * </ul>
 */
public final class ApiSection implements BenchSection {

    private static final String INPUT = "api.raw";
    private static final int PARTITIONS = 4;
    private static final int SOURCES = 200;
    private static final String PLUGIN = CountPlugin.NAME;
    private static final String HOST = "127.0.0.1";
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final double LATENCY_TARGET_MS = 50;
    private static final double FAN_OUT_CPU_TARGET = 2.0;

    @Override
    public String name() {
        return "api";
    }

    @Override
    public List<BenchResult> run(BenchMode mode, BenchEnv env) throws Exception {
        LocalStack stack = env.stack();
        stack.kafka().createTopics(Map.of(INPUT, PARTITIONS));
        RunTopics topics = new RunTopics("api");
        Path dir = env.work().resolve("api");
        instance(stack, topics, dir, "a").prepareTopics();
        String bootstrap = stack.kafka().bootstrapServers();
        String snapshots = topics.snapshots(PLUGIN);
        BenchEnv.progress("api: starting instances A and B, each in its own JVM");
        try (ChildRun a = start("api-a", dir, instance(stack, topics, dir, "a"));
             ChildRun b = start("api-b", dir, instance(stack, topics, dir, "b"));
             PacedFeed feed = new PacedFeed(bootstrap, INPUT, SOURCES)) {
            int port = Math.toIntExact(a.await("GRPC", 1, WAIT));
            a.await("RUNNING", 0, WAIT);
            b.await("RUNNING", 0, WAIT);
            long ownedByA = awaitSplit(a, b);
            List<BenchResult> results = new ArrayList<>();
            Map<String, ConsumerRecord<byte[], byte[]>> last;
            try (PlainReader plain = new PlainReader(bootstrap, snapshots)) {
                feed.send(2 * SOURCES, 1000);
                awaitCount(plain.arrivals(), plain, 2 * SOURCES, a, b);
                last = Map.copyOf(plain.lastBySource());
            }
            if (last.size() != SOURCES) {
                throw new IllegalStateException(last.size() + " sources have a snapshot, not " + SOURCES);
            }
            results.addAll(getLatest(mode, port, last, ownedByA));
            if (owned(a) != ownedByA) {
                throw new IllegalStateException("the partitions moved while GetLatest was measured: A held "
                        + ownedByA + ", now " + owned(a) + "; local and forwarded are mixed up");
            }
            results.addAll(subscribe(mode, port, feed, bootstrap, snapshots, a, b));
            results.addAll(catchUp(port, bootstrap, snapshots, a));
            return results;
        }
    }

    private List<BenchResult> getLatest(BenchMode mode, int port, Map<String, ConsumerRecord<byte[], byte[]>> last,
                                        long ownedByA) throws InterruptedException {
        List<String> local = new ArrayList<>();
        List<String> forwarded = new ArrayList<>();
        last.forEach((source, r) -> ((ownedByA >> r.partition() & 1) == 1 ? local : forwarded).add(source));
        local.sort(null);
        forwarded.sort(null);
        int count = mode.pick(1000, 5000);
        int throughputCount = mode.pick(4000, 20_000);
        int inFlight = 16;
        BenchEnv.progress("api: GetLatest of " + local.size() + " local and " + forwarded.size()
                + " forwarded sources, " + count + " requests each");
        try (LatestProbe probe = new LatestProbe(HOST, port, PLUGIN, last)) {
            probe.latencies(local, 300);
            probe.latencies(forwarded, 300);
            probe.healthLatencies(300);
            Percentiles health = new Percentiles(probe.healthLatencies(count));
            Percentiles atA = new Percentiles(probe.latencies(local, count));
            Percentiles viaB = new Percentiles(probe.latencies(forwarded, count));
            double localRate = probe.throughput(local, throughputCount, inFlight);
            double forwardedRate = probe.throughput(forwarded, throughputCount, inFlight);
            String how = String.format(Locale.ROOT, "asked of instance A, one request at a time on one channel, "
                            + "%,d requests over %d sources; A and B in their own JVMs on this machine, "
                            + "no input flowing; every answer equal to the topic's last snapshot of its source; "
                            + "%d UNAVAILABLE answers (left out)", count, local.size() + forwarded.size(),
                    probe.unavailable());
            String rateHow = String.format(Locale.ROOT, "%,d requests, %d in flight on one channel, every answer "
                    + "checked", throughputCount, inFlight);
            String healthCheck = "grpc.health Check, same channel";
            return List.of(
                    BenchResult.against("api.getlatest.local.p50", atA.ms(50), "ms", healthCheck, health.ms(50))
                            .withNote(how),
                    BenchResult.against("api.getlatest.local.p99", atA.ms(99), "ms", healthCheck, health.ms(99)),
                    BenchResult.against("api.getlatest.forwarded.p50", viaB.ms(50), "ms", "GetLatest local p50",
                            atA.ms(50)).withNote("sources owned by B, asked of A, which forwards to B"),
                    BenchResult.against("api.getlatest.forwarded.p99", viaB.ms(99), "ms", "GetLatest local p99",
                            atA.ms(99)),
                    BenchResult.alone("api.getlatest.local.throughput", localRate, "requests/s").withNote(rateHow),
                    BenchResult.against("api.getlatest.forwarded.throughput", forwardedRate, "requests/s",
                            "GetLatest local throughput", localRate));
        }
    }

    private List<BenchResult> subscribe(BenchMode mode, int port, PacedFeed feed, String bootstrap, String topic,
                                        ChildRun a, ChildRun b) throws Exception {
        // -Dbench.api.rate and -Dbench.api.count (BENCH_JAVA_OPTS) try other loads.
        int rate = Integer.getInteger("bench.api.rate", mode.pick(200, 500));
        int count = Integer.getInteger("bench.api.count", mode.pick(2000, 15_000));
        BenchEnv.progress("api: Subscribe warm-up, 10 subscribers");
        phase(10, rate, count / 5, port, feed, bootstrap, topic, a, b);
        List<BenchResult> results = new ArrayList<>();
        Phase none = phase(0, rate, count, port, feed, bootstrap, topic, a, b);
        Phase one = null;
        for (int n : new int[] {1, 10, 100}) {
            Phase p = phase(n, rate, count, port, feed, bootstrap, topic, a, b);
            if (n == 1) {
                one = p;
            }
            String name = "api.subscribe.n" + n + ".";
            String plain = "plain read_committed consumer, same phase";
            double overP99 = p.subscribers.ms(99) - p.plain.ms(99);
            String latencyHow = String.format(Locale.ROOT, "from the input's send to the snapshot's arrival at "
                            + "the client (bench JVM clock; the plain consumer's arrival approximates the commit: "
                            + "a subscriber got each snapshot %.1f ms p50 / %.1f ms p99 after it); %d subscribers on "
                            + "instance A, each on its own channel, %,d snapshots at %d/s, exactly_once_v2 "
                            + "(commit interval 100 ms); every subscriber got every snapshot once, in order",
                    p.overPlain.ms(50), p.overPlain.ms(99), n, count, rate);
            String target = String.format(Locale.ROOT, "p99 %.1f ms over the plain consumer's: target within "
                    + "%.0f ms %s; %s", overP99, LATENCY_TARGET_MS, overP99 < LATENCY_TARGET_MS ? "met" : "MISSED",
                    p.load());
            results.add(BenchResult.against(name + "latency.p50", p.subscribers.ms(50), "ms", plain, p.plain.ms(50))
                    .withNote(latencyHow));
            results.add(BenchResult.against(name + "latency.p99", p.subscribers.ms(99), "ms", plain, p.plain.ms(99))
                    .withNote(target));
            results.add(BenchResult.against(name + "throughput", p.perSubscriberRate, "snapshots/s", plain,
                    p.plainRate).withNote(String.format(Locale.ROOT, "per subscriber (%,.0f/s to all %d), "
                            + "at an offered %d inputs/s: whether the stream keeps up, not a saturation rate",
                    p.perSubscriberRate * n, n, rate)));
            String cpuHow = String.format(Locale.ROOT, "instance A's process CPU time per 1000 snapshots (one "
                    + "per input), its Kafka Streams work included; without subscribers %.1f ms", none.cpuPer1000);
            String apiHow = String.format(Locale.ROOT, "CPU time of instance A's API threads alone "
                    + "(arenaflow-api-*, grpc-*; /proc, 10 ms ticks) per 1000 snapshots; without subscribers "
                    + "%.1f ms (the shared tail reader outlives its last subscriber by 30 s, so it still reads "
                    + "then)", none.apiCpuPer1000);
            if (n == 1) {
                results.add(BenchResult.against(name + "cpu", p.cpuPer1000, "ms", "no subscriber, same rate",
                        none.cpuPer1000).withNote(cpuHow));
                results.add(BenchResult.against(name + "cpu.api-threads", p.apiCpuPer1000, "ms",
                        "no subscriber, same rate", none.apiCpuPer1000).withNote(apiHow));
            } else {
                double ratio = p.cpuPer1000 / one.cpuPer1000;
                double apiRatio = p.apiCpuPer1000 / one.apiCpuPer1000;
                results.add(BenchResult.against(name + "cpu", p.cpuPer1000, "ms", "1 subscriber, same rate",
                        one.cpuPer1000).withNote(n < 100 ? cpuHow : cpuHow + String.format(Locale.ROOT,
                        "; target under %.0fx one subscriber's: %s", FAN_OUT_CPU_TARGET,
                        ratio < FAN_OUT_CPU_TARGET ? "met" : "MISSED")));
                results.add(BenchResult.against(name + "cpu.api-threads", p.apiCpuPer1000, "ms",
                        "1 subscriber, same rate", one.apiCpuPer1000).withNote(n < 100 ? apiHow
                        : apiHow + String.format(Locale.ROOT, "; %.1fx one subscriber's: the API's own fan-out "
                        + "cost, which the process figure above dilutes with Kafka Streams' fixed cost", apiRatio)));
            }
        }
        return results;
    }

    /**
     * Throughput where the stream, not the input, sets the pace: {@code n} subscribers from the
     * earliest position read the whole snapshot topic (every earlier phase's snapshots; no input
     * flows), served by the flow-controlled catch-up path (a consumer per subscriber), against a
     * plain consumer reading the same from the beginning, alone, just before.
     */
    private List<BenchResult> catchUp(int port, String bootstrap, String topic, ChildRun a) throws Exception {
        Map<Long, Arrivals.Arrival> expected;
        double plainRate;
        try (PlainReader plain = new PlainReader(bootstrap, topic, true)) {
            long t0 = System.nanoTime();
            long deadline = t0 + WAIT.toNanos();
            while (plain.caughtUpNanos() < 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the plain consumer did not read " + topic + " within " + WAIT);
                }
                Thread.sleep(10);
            }
            expected = Map.copyOf(plain.arrivals().byPosition());
            plainRate = rateFirstToLast(expected.values());
        }
        List<BenchResult> results = new ArrayList<>();
        for (int n : new int[] {1, 10, 100}) {
            BenchEnv.progress("api: Subscribe from earliest, " + n + " subscribers, " + expected.size()
                    + " snapshots each");
            awaitLine(a, "SUBSCRIBERS", 0);
            long t0 = System.nanoTime();
            Subscribers subscribers = new Subscribers(HOST, port, PLUGIN, n, StartPosition.EARLIEST, WAIT);
            try {
                long deadline = t0 + WAIT.toNanos();
                double rates = 0;
                long firstAfter = 0;
                for (Arrivals s : subscribers.arrivals()) {
                    while (s.count() < expected.size()) {
                        subscribers.assertHealthy();
                        a.assertAlive();
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException(s.reader() + " has " + s.count() + " of "
                                    + expected.size() + " snapshots from earliest after " + WAIT + "\n" + a.tail());
                        }
                        Thread.sleep(10);
                    }
                }
                subscribers.assertHealthy();
                for (Arrivals s : subscribers.arrivals()) {
                    s.assertExactly(expected);
                    rates += rateFirstToLast(s.byPosition().values());
                    firstAfter = Math.max(firstAfter, s.byPosition().values().stream()
                            .mapToLong(Arrivals.Arrival::nanos).min().orElseThrow() - t0);
                }
                double perSubscriber = rates / n;
                results.add(BenchResult.against("api.subscribe.n" + n + ".earliest.throughput", perSubscriber,
                        "snapshots/s", "plain read_committed consumer from the beginning, alone", plainRate)
                        .withNote(String.format(Locale.ROOT, "per subscriber (%,.0f/s to all %d), %,d snapshots "
                                        + "from the earliest position while no input flows: the catch-up path, "
                                        + "one consumer per subscriber on A, paced by the client; from each "
                                        + "reader's first snapshot to its last (the last subscriber's first "
                                        + "came %.0f ms after the subscribe calls began); every subscriber got "
                                        + "every snapshot once, in order",
                                perSubscriber * n, n, expected.size(), firstAfter / 1e6)));
            } finally {
                subscribers.close();
            }
        }
        return results;
    }

    /** What one Subscribe phase measured. */
    private record Phase(Percentiles subscribers, Percentiles plain, Percentiles overPlain,
                         double perSubscriberRate, double plainRate, double cpuPer1000, double apiCpuPer1000,
                         double coresA, double coresBench) {

        /** @return how busy the serving and the client side were, for the notes */
        String load() {
            return String.format(Locale.ROOT, "instance A used %.2f cores, the bench JVM (clients, plain "
                    + "consumer, producer) %.2f, of 2 shared with the broker and B", coresA, coresBench);
        }
    }

    /** CPU readings at a phase's start, to subtract. */
    private record Cpu(long wallNanos, long processA, long apiA, long bench) {

        static Cpu now(ChildRun a) {
            return new Cpu(System.nanoTime(), cpuNanos(a.pid()), ThreadCpu.apiNanos(a.pid()),
                    cpuNanos(ProcessHandle.current().pid()));
        }
    }

    /**
     * Opens {@code n} subscribers and a plain consumer, sends {@code count} inputs at {@code rate},
     * waits until every reader has every snapshot, checks that each subscriber has exactly the plain
     * consumer's, and closes the subscribers.
     */
    private static Phase phase(int n, int rate, int count, int port, PacedFeed feed, String bootstrap, String topic,
                               ChildRun a, ChildRun b) throws Exception {
        BenchEnv.progress("api: Subscribe with " + n + " subscribers, " + count + " inputs at " + rate + "/s");
        awaitLine(a, "SUBSCRIBERS", 0);
        Subscribers subscribers = n == 0 ? null : new Subscribers(HOST, port, PLUGIN, n, StartPosition.LATEST, WAIT);
        try (PlainReader plain = new PlainReader(bootstrap, topic)) {
            awaitLine(a, "SUBSCRIBERS", n);
            Cpu cpu0 = Cpu.now(a);
            long first = feed.send(count, rate);
            long deadline = System.nanoTime() + WAIT.toNanos();
            awaitCount(plain.arrivals(), plain, count, a, b);
            if (subscribers != null) {
                for (Arrivals s : subscribers.arrivals()) {
                    while (s.count() < count) {
                        subscribers.assertHealthy();
                        a.assertAlive();
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException(s.reader() + " has " + s.count() + " of " + count
                                    + " snapshots after " + WAIT + "\n" + a.tail());
                        }
                        Thread.sleep(10);
                    }
                }
                subscribers.assertHealthy();
            }
            Cpu cpu1 = Cpu.now(a);
            double wall = cpu1.wallNanos() - cpu0.wallNanos();
            double cpuPer1000 = (cpu1.processA() - cpu0.processA()) / 1e6 * 1000 / count;
            double apiPer1000 = (cpu1.apiA() - cpu0.apiA()) / 1e6 * 1000 / count;
            double coresA = (cpu1.processA() - cpu0.processA()) / wall;
            double coresBench = (cpu1.bench() - cpu0.bench()) / wall;
            Map<Long, Arrivals.Arrival> expected = plain.arrivals().byPosition();
            long firstSent = feed.sentNanos(first);
            long[] plainLatency = latencies(expected, feed);
            double plainRate = rate(expected, count, firstSent);
            if (subscribers == null) {
                return new Phase(null, new Percentiles(plainLatency), null, 0, plainRate, cpuPer1000, apiPer1000,
                        coresA, coresBench);
            }
            long[] all = new long[n * count];
            long[] over = new long[n * count];
            double rates = 0;
            int i = 0;
            for (Arrivals s : subscribers.arrivals()) {
                s.assertExactly(expected);
                for (Map.Entry<Long, Arrivals.Arrival> e : s.byPosition().entrySet()) {
                    all[i] = e.getValue().nanos() - feed.sentNanos(e.getValue().sequence());
                    over[i++] = e.getValue().nanos() - expected.get(e.getKey()).nanos();
                }
                rates += rate(s.byPosition(), count, firstSent);
            }
            return new Phase(new Percentiles(all), new Percentiles(plainLatency), new Percentiles(over), rates / n,
                    plainRate, cpuPer1000, apiPer1000, coresA, coresBench);
        } finally {
            if (subscribers != null) {
                subscribers.close();
            }
        }
    }

    /** @return snapshots per second from the first arrival to the last */
    private static double rateFirstToLast(java.util.Collection<Arrivals.Arrival> arrivals) {
        long first = arrivals.stream().mapToLong(Arrivals.Arrival::nanos).min().orElseThrow();
        long last = arrivals.stream().mapToLong(Arrivals.Arrival::nanos).max().orElseThrow();
        return (arrivals.size() - 1) * 1e9 / Math.max(1, last - first);
    }

    private static long[] latencies(Map<Long, Arrivals.Arrival> arrivals, PacedFeed feed) {
        return arrivals.values().stream().mapToLong(r -> r.nanos() - feed.sentNanos(r.sequence())).toArray();
    }

    /** @return snapshots per second from the first input's send until the reader's last arrival */
    private static double rate(Map<Long, Arrivals.Arrival> arrivals, int count, long firstSent) {
        long lastArrival = arrivals.values().stream().mapToLong(Arrivals.Arrival::nanos).max().orElseThrow();
        return count * 1e9 / (lastArrival - firstSent);
    }

    private static void awaitCount(Arrivals arrivals, PlainReader plain, int count, ChildRun a, ChildRun b)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (arrivals.count() < count) {
            plain.check();
            a.assertAlive();
            b.assertAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the plain consumer has " + arrivals.count() + " of " + count
                        + " snapshots after " + WAIT + "\n" + a.tail() + "\n" + b.tail());
            }
            Thread.sleep(10);
        }
        if (arrivals.count() > count) {
            throw new IllegalStateException("the plain consumer has " + arrivals.count() + " snapshots of "
                    + count + " inputs: more than one per input");
        }
    }

    /**
     * Waits until A and B each hold some of the input's partitions and together all of them, once
     * each: the split a GetLatest request is answered or forwarded by.
     *
     * @return A's partitions, a bit each
     */
    private static long awaitSplit(ChildRun a, ChildRun b) throws InterruptedException {
        long all = (1L << PARTITIONS) - 1;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long atA = owned(a);
            long atB = owned(b);
            if (atA != 0 && atB != 0 && (atA & atB) == 0 && (atA | atB) == all) {
                BenchEnv.progress("api: A holds input partitions " + Long.toBinaryString(atA) + ", B "
                        + Long.toBinaryString(atB));
                return atA;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("A holds partitions " + atA + " and B " + atB + " after " + WAIT
                        + "; no split of the input between them\n" + a.tail() + "\n" + b.tail());
            }
            a.assertAlive();
            b.assertAlive();
            Thread.sleep(50);
        }
    }

    private static long owned(ChildRun child) {
        return child.last("OWNED").orElse(0L);
    }

    private static void awaitLine(ChildRun child, String word, long value) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!child.last(word).equals(Optional.of(value))) {
            child.assertAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + word + " " + value + " within " + WAIT + " (last "
                        + child.last(word).orElse(null) + ")\n" + child.tail());
            }
            Thread.sleep(20);
        }
    }

    private static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
                .orElseThrow(() -> new IllegalStateException("no CPU time of process " + pid))
                .toNanos();
    }

    private static ChildRun start(String name, Path dir, ArenaflowRun run) throws Exception {
        return ChildRun.start(name, dir, System.getProperty("java.class.path"), ApiApp.class,
                run.settings().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    /** Both instances' settings but their state folders; gRPC on a free loopback port. */
    private static ArenaflowRun instance(LocalStack stack, RunTopics topics, Path dir, String name) {
        return ArenaflowRun.of(stack, topics, INPUT, dir.resolve(name + "-state"), StreamsConfig.EXACTLY_ONCE_V2)
                .set(ArenaflowConfig.PLUGINS, PLUGIN)
                .set(ArenaflowConfig.GRPC_HOST, HOST)
                .set(ArenaflowConfig.GRPC_PORT, 0);
    }
}
