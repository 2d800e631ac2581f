package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.cli.it.support.CliProcess;
import dev.arenaflow.cli.it.support.FlakyPlugin;
import dev.arenaflow.cli.it.support.ItApp;
import dev.arenaflow.cli.it.support.StackPerClass;
import dev.arenaflow.record.RawRecordWriter;
import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginCatalog;
import dev.arenaflow.topology.SnapshotSerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Steering a plugin of a running application with {@code bin/arenaflow plugins}, on a real broker,
 * with two instances: pausing {@code flaky} stops its snapshots on both within seconds while the
 * {@code session} plugin's snapshots keep flowing; resuming it handles everything it held, so in
 * the end every record has exactly one snapshot from each plugin.
 */
class ControlIT {

    private static final String APP = "control-it";
    private static final int SOURCES = 8;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final StackPerClass STACK = StackPerClass.start("arenaflow-control-it-");

    @Test
    void shouldPauseAndResumeOnePluginWhileTheOtherKeepsFlowing() throws Exception {
        STACK.kafka().createTopics(Map.of(APP + ".raw", 2));
        Properties props = settings();
        Path config = STACK.workDir().resolve(APP + ".properties");
        try (var out = Files.newBufferedWriter(config)) {
            props.store(out, null);
        }
        Arrivals arrivals = new Arrivals();
        try (ArenaflowApplication one = start(props, "one");
             ArenaflowApplication two = start(props, "two");
             Feed feed = new Feed(APP + ".raw");
             Watch watch = new Watch(arrivals)) {
            feed.start();
            watch.start();
            arrivals.awaitCount("flaky", 200);

            long pausedAt = System.currentTimeMillis();
            CliProcess.Result pause = plugins(config, "pause", "flaky", "--reason", "ControlIT");
            assertThat(pause.exitCode()).as(pause.stderr()).isZero();
            // The command's own JVM start-up is most of the time since pausedAt; the record is written just before it exits.
            long pauseWritten = System.currentTimeMillis();
            long lastFlaky = arrivals.awaitQuiet("flaky", Duration.ofSeconds(3));
            long sessionBefore = arrivals.count("session");
            // Session keeps going while flaky is paused: wait for 100 more of its snapshots, not for a time.
            arrivals.awaitCount("session", sessionBefore + 100);
            assertThat(arrivals.lastAt("flaky")).as("flaky snapshots while it is paused").isEqualTo(lastFlaky);

            CliProcess.Result list = plugins(config, "list");
            assertThat(list.exitCode()).as(list.stderr()).isZero();
            assertThat(String.join("\n", list.lines())).contains("flaky").contains("paused").contains("ControlIT");

            long resumedAt = System.currentTimeMillis();
            assertThat(plugins(config, "resume", "flaky").exitCode()).isZero();
            arrivals.awaitAfter("flaky", resumedAt);
            long produced = feed.stop();

            arrivals.awaitCount("session", produced);
            arrivals.awaitCount("flaky", produced);
            System.out.printf("ControlIT: %d records; 'plugins pause' took %d ms; flaky's last snapshot %d ms after it "
                    + "returned; longest gap between session snapshots %d ms%n", produced, pauseWritten - pausedAt,
                    lastFlaky - pauseWritten, arrivals.longestGap("session"));
            assertThat(lastFlaky - pauseWritten).as("pause applied within a few seconds").isLessThan(3000);
            assertThat(arrivals.longestGap("session")).as("session never stalled").isLessThan(3000);
            assertThat(arrivals.positions("session")).hasSize((int) produced).allSatisfy((p, n) -> assertThat(n).isOne());
            assertThat(arrivals.positions("flaky")).hasSize((int) produced).allSatisfy((p, n) -> assertThat(n).isOne());
        }
    }

    private static ArenaflowApplication start(Properties props, String instance) throws Exception {
        Properties own = new Properties();
        own.putAll(props);
        own.put(StreamsConfig.STATE_DIR_CONFIG, STACK.workDir().resolve("state-" + instance).toString());
        ArenaflowApplication app = ArenaflowApplication.create(
                ArenaflowSettings.validate(own, PluginCatalog.load(ControlIT.class.getClassLoader())),
                SnapshotSerdes.serializer(own));
        app.start();
        assertThat(app.awaitRunning(WAIT)).isTrue();
        return app;
    }

    private static CliProcess.Result plugins(Path config, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("plugins"));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", config.toString()));
        return CliProcess.run(STACK.workDir(), "plugins-" + args[0], command);
    }

    private static Properties settings() {
        Properties props = ItApp.settings(STACK.get(), APP, StreamsConfig.EXACTLY_ONCE_V2, STACK.workDir().resolve("state"));
        props.put(ArenaflowConfig.PLUGINS, "session," + FlakyPlugin.NAME);
        return props;
    }

    /** Writes records of 8 sources, about 200 a second, until stopped. */
    private static final class Feed implements AutoCloseable {
        private final String topic;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong sent = new AtomicLong();
        private Thread thread;

        Feed(String topic) {
            this.topic = topic;
        }

        void start() {
            thread = new Thread(this::run, "control-it-feed");
            thread.start();
        }

        private void run() {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.kafka().bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
                for (long i = 0; running.get(); i++) {
                    String source = "dev-" + (i % SOURCES);
                    producer.send(new ProducerRecord<>(topic, source.getBytes(StandardCharsets.UTF_8),
                            RawRecordWriter.encode(4, System.currentTimeMillis(), i / SOURCES + 1, source,
                                    new byte[] {0}, true))).get();
                    sent.incrementAndGet();
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** @return how many records were written */
        long stop() throws InterruptedException {
            running.set(false);
            thread.join();
            return sent.get();
        }

        @Override
        public void close() throws InterruptedException {
            if (thread != null && running.get()) {
                stop();
            }
        }
    }

    /** When each plugin's snapshots arrived, and for which input positions. */
    private static final class Arrivals {
        private final Map<String, List<Long>> times = new HashMap<>();
        private final Map<String, Map<String, Integer>> positions = new HashMap<>();

        synchronized void add(String plugin, SessionSnapshot snapshot, long at) {
            times.computeIfAbsent(plugin, p -> new ArrayList<>()).add(at);
            positions.computeIfAbsent(plugin, p -> new HashMap<>()).merge(snapshot.getMeta().getInputPartition() + "@"
                    + snapshot.getMeta().getInputOffset(), 1, Integer::sum);
            notifyAll();
        }

        synchronized long count(String plugin) {
            return times.getOrDefault(plugin, List.of()).size();
        }

        synchronized long lastAt(String plugin) {
            List<Long> t = times.getOrDefault(plugin, List.of());
            return t.isEmpty() ? 0 : t.get(t.size() - 1);
        }

        synchronized Map<String, Integer> positions(String plugin) {
            return Map.copyOf(positions.getOrDefault(plugin, Map.of()));
        }

        synchronized long longestGap(String plugin) {
            List<Long> t = new ArrayList<>(times.getOrDefault(plugin, List.of()));
            Collections.sort(t);
            long gap = 0;
            for (int i = 1; i < t.size(); i++) {
                gap = Math.max(gap, t.get(i) - t.get(i - 1));
            }
            return gap;
        }

        synchronized void awaitCount(String plugin, long n) throws InterruptedException {
            long deadline = System.currentTimeMillis() + WAIT.toMillis();
            while (count(plugin) < n && System.currentTimeMillis() < deadline) {
                wait(200);
            }
            assertThat(count(plugin)).as(plugin + " snapshots").isGreaterThanOrEqualTo(n);
        }

        synchronized void awaitAfter(String plugin, long at) throws InterruptedException {
            long deadline = System.currentTimeMillis() + WAIT.toMillis();
            while (lastAt(plugin) <= at && System.currentTimeMillis() < deadline) {
                wait(200);
            }
            assertThat(lastAt(plugin)).as(plugin + " snapshots after resume").isGreaterThan(at);
        }

        /** @return the time of the plugin's last snapshot, once none came for the quiet period */
        synchronized long awaitQuiet(String plugin, Duration quiet) throws InterruptedException {
            long deadline = System.currentTimeMillis() + WAIT.toMillis();
            while (System.currentTimeMillis() - lastAt(plugin) < quiet.toMillis() && System.currentTimeMillis() < deadline) {
                wait(100);
            }
            assertThat(System.currentTimeMillis() - lastAt(plugin)).as(plugin + " quiet").isGreaterThanOrEqualTo(quiet.toMillis());
            return lastAt(plugin);
        }
    }

    /** Reads both snapshot topics as they are committed and notes each arrival. */
    private static final class Watch implements AutoCloseable {
        private final Arrivals arrivals;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        Watch(Arrivals arrivals) {
            this.arrivals = arrivals;
        }

        void start() {
            Properties props = settings();
            thread = new Thread(() -> {
                try (KafkaConsumer<byte[], SessionSnapshot> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.kafka().bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                        SnapshotSerdes.<SessionSnapshot>deserializer(props, true))) {
                    List<TopicPartition> partitions = new ArrayList<>();
                    for (String plugin : List.of("session", FlakyPlugin.NAME)) {
                        String topic = APP + ".snapshots." + plugin;
                        consumer.partitionsFor(topic, WAIT).forEach(p -> partitions.add(new TopicPartition(topic,
                                p.partition())));
                    }
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    while (running.get()) {
                        consumer.poll(Duration.ofMillis(100)).forEach(r -> arrivals.add(
                                r.topic().substring(r.topic().lastIndexOf('.') + 1), r.value(), System.currentTimeMillis()));
                    }
                }
            }, "control-it-watch");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            if (thread != null) {
                thread.join();
            }
        }
    }
}
