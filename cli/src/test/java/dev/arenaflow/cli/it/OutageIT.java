package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.cli.it.support.AppSettings;
import dev.arenaflow.cli.it.support.ChildApp;
import dev.arenaflow.cli.it.support.InputFeed;
import dev.arenaflow.cli.it.support.InputLedger;
import dev.arenaflow.cli.it.support.SlowPlugin;
import dev.arenaflow.cli.it.support.SnapshotTally;
import dev.arenaflow.cli.it.support.SnapshotWatcher;
import dev.arenaflow.cli.it.support.StackPerClass;
import dev.arenaflow.local.KafkaOptions;
import dev.arenaflow.local.TcpProxy;
import dev.arenaflow.topology.ArenaflowConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dependency outages while records stream in: the schema registry unreachable for 20 s, twice
 * (through a proxy the test cuts, so the registry keeps its ids), and the broker SIGKILLed, left down for
 * longer than the transaction timeout, and restarted on its data; and the registry hanging for
 * 20 s (accepting connections, never answering). The instance must never exit,
 * and every input must end in a snapshot: exactly one under exactly_once_v2, at least one under
 * at_least_once; none becomes a dead letter.
 */
class OutageIT {

    private static final int RECORDS = 3_000;
    private static final int PARTITIONS = 3;
    private static final int SOURCES = 30;
    private static final int PER_SECOND = 100;
    private static final int BEFORE_FAULT = 400;
    private static final Duration REGISTRY_OUTAGE = Duration.ofSeconds(20);
    /** Longer than the 5 s transaction timeout AppSettings gives: the open transactions are aborted meanwhile. */
    private static final Duration BROKER_DOWN = Duration.ofSeconds(10);
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration FINISH = Duration.ofSeconds(150);

    // The broker is SIGKILLed here, and not its controller: see withSeparateController for why.
    @RegisterExtension
    static final StackPerClass STACK = StackPerClass.withBroker("arenaflow-outage-it-",
            KafkaOptions.defaults().withFastTransactionAbort().withSeparateController());

    private final List<ChildApp> runs = new ArrayList<>();

    @AfterEach
    void stopRuns() {
        runs.forEach(ChildApp::close);
    }

    /**
     * Two outages of 20 s. The first begins before the first snapshot, so the instance has no schema id
     * yet and its stream threads must wait (under exactly_once_v2 longer than the transaction timeout).
     * The second comes mid-stream, when the id is cached: snapshots keep flowing through it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"exactly_once_v2", "at_least_once"})
    void shouldWaitOutARegistryOutageAndLoseNothing(String guarantee) throws Exception {
        String app = "registry-outage-" + guarantee.replace('_', '-');
        try (TcpProxy proxy = TcpProxy.to(URI.create(STACK.registry().url()).getPort())) {
            Map<String, String> settings = settingsThrough(proxy, app, guarantee);
            ChildApp child = start(app, settings);
            InputLedger ledger = new InputLedger();
            try (SnapshotWatcher watcher = watch(app)) {
                proxy.cut();
                long cutAt = System.nanoTime();
                InputFeed feed = feed(app, ledger);
                child.awaitLine("REGISTRY DOWN", 1, REGISTRY_OUTAGE);
                holdUntil(cutAt, REGISTRY_OUTAGE);
                child.assertAlive();
                assertThat(watcher.tally().total()).as("snapshots written while no schema id could be had").isZero();
                proxy.restore();
                child.awaitLine("REGISTRY UP", 1, FINISH);

                awaitSnapshots(watcher, child, BEFORE_FAULT, ledger);
                proxy.cut();
                cutAt = System.nanoTime();
                int atSecondCut = watcher.tally().distinct();
                awaitSnapshots(watcher, child, Math.min(RECORDS, atSecondCut + BEFORE_FAULT), ledger);
                holdUntil(cutAt, REGISTRY_OUTAGE);
                proxy.restore();

                feed.awaitDone(FINISH);
                awaitSnapshots(watcher, child, RECORDS, ledger);
                child.terminate();
            }
            assertEveryInputHandled(app, guarantee, ledger);
            assertThat(child.logLinesContaining("unreachable")).as("one log line when the outage began\n" + child.tail(40))
                    .isEqualTo(1);
            assertThat(child.logLinesContaining("answers again")).as("one log line when it ended\n" + child.tail(40))
                    .isEqualTo(1);
        }
    }

    /**
     * The registry hangs for 20 s while records stream in: it accepts connections and never answers
     * (a proxy black hole). It begins before the first snapshot, so every snapshot needs the registry
     * (a cached id would need none). Each call gives up after {@code arenaflow.registry.timeout.ms},
     * so the instance must report the outage, with that cause, while the registry hangs, stay alive,
     * and after it lose and double nothing. Without that bound the first call would wait as long as
     * the hang lasts and nothing would be reported.
     */
    @Test
    void shouldWaitOutARegistryThatNeverAnswersAndLoseNothing() throws Exception {
        String guarantee = "exactly_once_v2";
        String app = "registry-hang-eos";
        try (TcpProxy proxy = TcpProxy.to(URI.create(STACK.registry().url()).getPort())) {
            Map<String, String> settings = settingsThrough(proxy, app, guarantee);
            settings.put(ArenaflowConfig.REGISTRY_TIMEOUT_MS, "2000");
            ChildApp child = start(app, settings);
            InputLedger ledger = new InputLedger();
            try (SnapshotWatcher watcher = watch(app)) {
                proxy.blackHole();
                long holeAt = System.nanoTime();
                InputFeed feed = feed(app, ledger);
                child.awaitLine("REGISTRY DOWN", 1, REGISTRY_OUTAGE);
                holdUntil(holeAt, REGISTRY_OUTAGE);
                child.assertAlive();
                assertThat(watcher.tally().total()).as("snapshots written while the registry hung").isZero();
                assertThat(child.logLinesContaining("did not answer within 2000 ms (arenaflow.registry.timeout.ms)"))
                        .as("the outage's cause in the log\n" + child.tail(40)).isPositive();
                proxy.restore();
                child.awaitLine("REGISTRY UP", 1, FINISH);

                feed.awaitDone(FINISH);
                awaitSnapshots(watcher, child, RECORDS, ledger);
                child.terminate();
            }
            assertEveryInputHandled(app, guarantee, ledger);
        }
    }

    /** A fault lasts its full length however soon the instance noticed it: the fault's duration, not a wait for a condition. */
    private static void holdUntil(long sinceNanos, Duration length) throws InterruptedException {
        long left = length.toMillis() - Duration.ofNanos(System.nanoTime() - sinceNanos).toMillis();
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"exactly_once_v2", "at_least_once"})
    void shouldRideOutTheBrokerKilledAndRestartedAndLoseNothing(String guarantee) throws Exception {
        String app = "broker-outage-" + guarantee.replace('_', '-');
        ChildApp child = start(app, settings(app, guarantee));
        InputLedger ledger = new InputLedger();
        try (SnapshotWatcher watcher = watch(app)) {
            InputFeed feed = feed(app, ledger);
            awaitSnapshots(watcher, child, BEFORE_FAULT, ledger);

            STACK.kafka().kill();
            holdUntil(System.nanoTime(), BROKER_DOWN);
            child.assertAlive();
            STACK.kafka().restart();

            feed.awaitDone(FINISH);
            awaitSnapshots(watcher, child, RECORDS, ledger);
            child.terminate();
        }
        assertEveryInputHandled(app, guarantee, ledger);
    }

    /** The settings of an instance that reaches the registry through {@code proxy}. */
    private Map<String, String> settingsThrough(TcpProxy proxy, String app, String guarantee)
            throws InterruptedException {
        Map<String, String> settings = settings(app, guarantee);
        settings.put(ArenaflowConfig.REGISTRY_URL, "http://127.0.0.1:" + proxy.port() + "/apis/registry/v2");
        return settings;
    }

    private Map<String, String> settings(String app, String guarantee) throws InterruptedException {
        STACK.kafka().createTopics(Map.of(AppSettings.inputTopic(app), PARTITIONS));
        AppSettings.registerSnapshotSchema(STACK.get(), app);
        Path state = STACK.workDir().resolve(app).resolve("state");
        return AppSettings.of(STACK.get(), app, guarantee, state);
    }

    private ChildApp start(String app, Map<String, String> settings) throws InterruptedException {
        ChildApp run = ChildApp.start(app, STACK.workDir().resolve(app), settings);
        runs.add(run);
        return run.awaitRunning(START);
    }

    private static SnapshotWatcher watch(String app) {
        return SnapshotWatcher.follow(STACK.kafka().bootstrapServers(), STACK.registry().apicurioV2Url(),
                AppSettings.snapshotTopic(app), new SnapshotTally(SlowPlugin.NAME, AppSettings.inputTopic(app)));
    }

    private static InputFeed feed(String app, InputLedger ledger) {
        return new InputFeed(STACK.kafka().bootstrapServers(), AppSettings.inputTopic(app), SOURCES, ledger)
                .start(RECORDS, PER_SECOND);
    }

    private static void awaitSnapshots(SnapshotWatcher watcher, ChildApp child, int inputs, InputLedger ledger)
            throws InterruptedException {
        watcher.await(() -> {
            child.assertAlive();
            return watcher.tally().distinct() >= inputs;
        }, FINISH, () -> inputs + " inputs with snapshots\n" + watcher.tally().describe(ledger) + child.tail(40));
    }

    private void assertEveryInputHandled(String app, String guarantee, InputLedger ledger) {
        SnapshotTally tally = SnapshotWatcher.readAll(STACK.kafka().bootstrapServers(), STACK.registry().apicurioV2Url(),
                AppSettings.snapshotTopic(app), new SnapshotTally(SlowPlugin.NAME, AppSettings.inputTopic(app)));
        String context = tally.describe(ledger) + runs.get(runs.size() - 1).tail(20);
        System.out.printf("OutageIT[%s] records=%d snapshots=%d duplicates=%d maxAttempt=%d%n", app, RECORDS,
                tally.total(), tally.extraSnapshots(), tally.maxAttempt());
        assertThat(ledger.size()).isEqualTo(RECORDS);
        assertThat(tally.malformed()).as(context).isEmpty();
        assertThat(tally.strangers(ledger)).as(context).isEmpty();
        assertThat(tally.missing(ledger)).as("inputs without a snapshot\n" + context).isEmpty();
        assertThat(tally.missingKeys(ledger)).as("(source, sequence) without a snapshot\n" + context).isEmpty();
        if (guarantee.startsWith("exactly_once")) {
            assertThat(tally.duplicated()).as("inputs with several snapshots\n" + context).isEmpty();
            assertThat(tally.duplicatedKeys()).as("(source, sequence) with several snapshots\n" + context).isEmpty();
        }
        assertThat(AppSettings.recordsIn(STACK.get(), AppSettings.deadLetterTopic(app))).as("dead letters\n" + context).isZero();
    }
}
