package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.api.v1.GetLatestRequest;
import dev.arenaflow.api.v1.PendingMessage;
import dev.arenaflow.api.v1.PendingStage;
import dev.arenaflow.api.v1.SnapshotServiceGrpc;
import dev.arenaflow.api.v1.SourceHolder;
import dev.arenaflow.api.v1.WhyReply;
import dev.arenaflow.api.v1.WhyRequest;
import dev.arenaflow.cli.ArenaflowCommand;
import dev.arenaflow.cli.api.ApiAddress;
import dev.arenaflow.cli.it.support.ApiInstance;
import dev.arenaflow.cli.it.support.AppSettings;
import dev.arenaflow.cli.it.support.FlakyPlugin;
import dev.arenaflow.cli.it.support.SlowPlugin;
import dev.arenaflow.cli.it.support.StackPerClass;
import dev.arenaflow.record.RawRecordWriter;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.PluginLimits;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code Why} on a real broker and registry, asked of a real {@code arenaflow run} in its own JVM,
 * with three stuck sources at once: {@code hot}, whose calls to the async {@code flaky} plugin hang,
 * is quarantined with its backlog parked while {@code calm} flows past it; {@code retrying}, whose
 * first attempt fails under ordered retry with a one-minute backoff, waits for its retry with its
 * last error and its next message parked behind it; and every source of the {@code slow} plugin,
 * paused through the control topic as {@code plugins pause} does, is held by the pause. The
 * {@code why} command prints the same through the CLI.
 */
class WhyIT {

    private static final String APP = "why-it";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String FLAKY = FlakyPlugin.NAME;
    private static final String SLOW = SlowPlugin.NAME;

    @RegisterExtension
    static final StackPerClass STACK = StackPerClass.start("arenaflow-why-it-");

    @Test
    void whySaysWhichSourceIsQuarantinedWhichWaitsForItsRetryAndWhichIsHeldByAPause() throws Exception {
        String topic = AppSettings.inputTopic(APP);
        STACK.kafka().createTopics(Map.of(topic, 2));
        Map<String, String> settings = settings();
        Path dir = STACK.workDir().resolve(APP);
        Files.createDirectories(dir);
        // Paused before the instance starts, so every record reaches the slow plugin while it is paused.
        Run pause = cli("plugins", "pause", SLOW, "--config", configFile(dir, settings).toString(), "--reason", "WhyIT");
        assertThat(pause.exitCode()).as(pause.stderr()).isZero();

        try (ApiInstance instance = ApiInstance.start("one", dir, settings, "384m")) {
            instance.awaitServing(WAIT);
            ApiAddress api = instance.address();
            produce(topic, "hot", payload(0, FlakyPlugin.HANGS), 4);
            produce(topic, "retrying", payload(1, 0), 1);
            produce(topic, "retrying", payload(0, 0), 1);
            produce(topic, "calm", payload(0, 0), 1);

            // (a) Quarantined: the head hangs in flight, the rest is parked behind it; calm flows past it.
            WhyReply hot = awaitWhy(api, FLAKY, "hot", r -> r.getHoldersCount() == 1 && r.getHolders(0).getQuarantined()
                    && r.getHolders(0).getMessagesCount() == 4, "hot quarantined with its 4 messages");
            SourceHolder hotHolder = hot.getHolders(0);
            assertThat(hotHolder.getMessagesList()).extracting(PendingMessage::getStage).containsExactly(
                    PendingStage.IN_FLIGHT, PendingStage.PARKED, PendingStage.PARKED, PendingStage.PARKED);
            PendingMessage head = hotHolder.getMessages(0);
            assertThat(head.hasSinceMs()).isTrue();
            assertThat(hotHolder.getMessagesList().subList(1, 4)).extracting(PendingMessage::getBehindOffset)
                    .containsOnly(head.getInputOffset());
            assertThat(hot.getAnsweredByList()).containsExactly(api.toString());
            awaitSnapshot(api, FLAKY, "calm");
            WhyReply calm = awaitWhy(api, FLAKY, "calm", r -> true, "an answer for calm");
            assertThat(calm.getHoldersList()).as("calm is done").isEmpty();
            assertThat(calm.getUnansweredList()).isEmpty();

            // (b) Retrying: the failed first attempt waits for its retry, with its error; the next one is parked behind it.
            WhyReply retrying = awaitWhy(api, FLAKY, "retrying", r -> r.getHoldersCount() == 1
                    && r.getHolders(0).getMessagesCount() == 2
                    && r.getHolders(0).getMessages(0).getStage() == PendingStage.WAITING_FOR_RETRY,
                    "retrying's first message waiting for its retry");
            PendingMessage failed = retrying.getHolders(0).getMessages(0);
            assertThat(failed.getAttempt()).isEqualTo(2);
            assertThat(failed.hasUntilMs()).isTrue();
            assertThat(failed.getLastError()).contains("flaky on attempt 1");
            PendingMessage behind = retrying.getHolders(0).getMessages(1);
            assertThat(behind.getStage()).isEqualTo(PendingStage.PARKED);
            assertThat(behind.getBehindOffset()).isEqualTo(failed.getInputOffset());
            assertThat(retrying.getHolders(0).getQuarantined()).isFalse();

            // (c) Paused: the slow plugin holds every message of calm.
            WhyReply held = awaitWhy(api, SLOW, "calm", r -> r.getHoldersCount() == 1, "calm held by slow");
            assertThat(held.getHolders(0).getMessagesList()).extracting(PendingMessage::getStage)
                    .containsExactly(PendingStage.HELD_BY_PAUSE);

            // The same through the CLI.
            Run whyRetrying = cli("why", "--api", api.toString(), "--plugin", FLAKY, "--source", "retrying");
            Run whyHot = cli("why", "--api", api.toString(), "--plugin", FLAKY, "--source", "hot");
            Run whyPaused = cli("why", "--api", api.toString(), "--plugin", SLOW, "--source", "calm");
            Run whyDone = cli("why", "--api", api.toString(), "--plugin", FLAKY, "--source", "calm");
            System.out.printf("WhyIT: bin/arenaflow why output%n%s%s%s%s", whyRetrying.stdout(), whyHot.stdout(),
                    whyPaused.stdout(), whyDone.stdout());
            for (Run run : List.of(whyRetrying, whyHot, whyPaused, whyDone)) {
                assertThat(run.exitCode()).as(run.stderr()).isZero();
                assertThat(run.stderr()).contains("answered by " + api);
            }
            assertThat(whyRetrying.lines().get(0)).matches(topic + "-\\d@" + failed.getInputOffset()
                    + " attempt 2 waiting for retry until \\S+Z \\(last error: .*flaky on attempt 1.*\\)");
            assertThat(whyRetrying.lines().get(1)).matches(topic + "-\\d@\\d+ attempt 1 parked behind @"
                    + failed.getInputOffset());
            assertThat(whyHot.lines()).hasSize(4);
            assertThat(whyHot.lines().get(0)).matches(".* attempt 1 in flight since \\S+Z \\(source quarantined\\)");
            assertThat(whyHot.lines().get(3)).endsWith("parked behind @" + head.getInputOffset() + " (source quarantined)");
            assertThat(whyPaused.lines()).singleElement().asString().matches(topic + "-\\d@\\d+ attempt 1 held by pause");
            assertThat(whyDone.lines()).containsExactly("nothing pending for source calm of plugin " + FLAKY);
        }
    }

    private static Map<String, String> settings() {
        Map<String, String> s = AppSettings.of(STACK.get(), APP, StreamsConfig.AT_LEAST_ONCE, Path.of("unused"));
        s.keySet().removeIf(k -> k.startsWith(ArenaflowConfig.PLUGIN_PREFIX));
        s.put(ArenaflowConfig.PLUGINS, FLAKY + "," + SLOW);
        String flaky = ArenaflowConfig.PLUGIN_PREFIX + FLAKY + ".";
        // At most one message of a source waits behind its head unquarantined: hot's 3 quarantine it.
        s.put(flaky + PluginLimits.MAX_IN_FLIGHT, "10");
        s.put(flaky + PluginLimits.QUARANTINE_MAX_SHARE, "0.1");
        // hot's head hangs for the whole test: no timeout, no watchdog in the way.
        s.put(flaky + PluginLimits.TIMEOUT_MS, "120000");
        s.put(flaky + PluginLimits.WATCHDOG_MAX_AGE_MS, "0");
        s.put(flaky + PluginLimits.WATCHDOG_NO_PROGRESS_MS, "0");
        // retrying's failed first attempt waits a minute for its retry, its source's next message behind it.
        s.put(flaky + PluginLimits.RETRY_ORDERED, "true");
        s.put(flaky + PluginLimits.RETRY_BACKOFF, "1m");
        s.put(flaky + PluginLimits.RETRY_JITTER, "0");
        return s;
    }

    private static Path configFile(Path dir, Map<String, String> settings) throws Exception {
        Properties props = new Properties();
        props.putAll(settings);
        Path config = dir.resolve("plugins.properties");
        try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(out, null);
        }
        return config;
    }

    private static byte[] payload(int failures, int mode) {
        return new byte[] {(byte) failures, (byte) mode};
    }

    private static void produce(String topic, String source, byte[] payload, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                byte[] value = RawRecordWriter.encode(1, System.currentTimeMillis(), i, source, payload, true);
                producer.send(new ProducerRecord<>(topic, source.getBytes(StandardCharsets.UTF_8), value))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Asks until the reply satisfies the condition; UNAVAILABLE (a task not open yet) is asked again. */
    private static WhyReply awaitWhy(ApiAddress api, String plugin, String source, Predicate<WhyReply> condition,
                                     String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Object last = null;
        while (System.nanoTime() < deadline) {
            ManagedChannel channel = api.channel();
            try {
                WhyReply reply = SnapshotServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .why(WhyRequest.newBuilder().setPlugin(plugin).setSource(source).build());
                if (condition.test(reply)) {
                    return reply;
                }
                last = reply;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                    throw e;
                }
                last = e.getStatus();
            } finally {
                channel.shutdownNow();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within " + WAIT + ": " + what + "; last answer: " + last);
    }

    /** Waits until the plugin's latest snapshot of the source can be read through the API. */
    private static void awaitSnapshot(ApiAddress api, String plugin, String source) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ManagedChannel channel = api.channel();
            try {
                SnapshotServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getLatest(GetLatestRequest.newBuilder().setPlugin(plugin).setSource(source).build());
                return;
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (code != Status.Code.NOT_FOUND && code != Status.Code.UNAVAILABLE) {
                    throw e;
                }
            } finally {
                channel.shutdownNow();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no snapshot of " + source + " from " + plugin + " within " + WAIT);
    }

    private record Run(int exitCode, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().toList();
        }
    }

    /** Runs {@code arenaflow} in this JVM, as the command line would. */
    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new ArenaflowCommand(InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8)));
        command.setErr(new PrintWriter(err, true));
        int exit = command.execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    }
}
