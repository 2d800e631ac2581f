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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crashes: an arenaflow instance running the async {@code slow} plugin is killed with SIGKILL
 * again and again while records stream in and hundreds of messages wait in its arena, and is
 * restarted each time, alternately on its old state folder and on a fresh one (which forces the
 * arena to be restored from its changelog). Every input must end with a snapshot: exactly one
 * under exactly-once, at least one under at-least-once; and some snapshots must come from
 * restored arena entries dispatched again (attempt above 1).
 */
class CrashIT {

    private static final int RECORDS = 20_000;
    private static final int PARTITIONS = 3;
    private static final int SOURCES = 50;
    private static final int PER_SECOND = 4_000;
    private static final int KILLS = 4;
    private static final int MIN_PROGRESS = 300;
    private static final int MAX_PROGRESS = 2_800;
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration PROGRESS = Duration.ofSeconds(90);
    private static final Duration FINISH = Duration.ofSeconds(150);

    @RegisterExtension
    static final StackPerClass STACK = StackPerClass.forKilledInstances("arenaflow-crash-it-");

    private final List<ChildApp> runs = new ArrayList<>();
    private Path stateDir;

    @AfterEach
    void stopRuns() {
        runs.forEach(ChildApp::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"exactly_once_v2", "at_least_once"})
    void shouldLoseNothingWhenKilledRepeatedlyWithMessagesInFlight(String guarantee) throws Exception {
        long started = System.nanoTime();
        String app = "crash-" + guarantee.replace('_', '-');
        long seed = System.nanoTime();
        Random random = new Random(seed);
        STACK.kafka().createTopics(Map.of(AppSettings.inputTopic(app), PARTITIONS));
        AppSettings.registerSnapshotSchema(STACK.get(), app);
        InputLedger ledger = new InputLedger();
        ChildApp child = startRun(app, guarantee, 0, true);
        SnapshotTally progress = new SnapshotTally(SlowPlugin.NAME, AppSettings.inputTopic(app));
        try (SnapshotWatcher watcher = SnapshotWatcher.follow(STACK.kafka().bootstrapServers(),
                STACK.registry().apicurioV2Url(), AppSettings.snapshotTopic(app), progress)) {
            InputFeed feed = new InputFeed(STACK.kafka().bootstrapServers(), AppSettings.inputTopic(app), SOURCES, ledger)
                    .start(RECORDS, PER_SECOND);
            for (int kill = 1; kill <= KILLS; kill++) {
                awaitProgress(watcher, child, random);
                child.kill();
                child = startRun(app, guarantee, kill, kill % 2 == 0);
            }
            feed.awaitDone(FINISH);
            awaitAll(watcher, child, ledger);
            child.terminate();
        }
        SnapshotTally tally = SnapshotWatcher.readAll(STACK.kafka().bootstrapServers(), STACK.registry().apicurioV2Url(),
                AppSettings.snapshotTopic(app), new SnapshotTally(SlowPlugin.NAME, AppSettings.inputTopic(app)));
        printSummary(guarantee, seed, tally, started);
        assertEveryInputHandled(guarantee.startsWith("exactly_once"), app, tally, ledger);
    }

    /** Starts run {@code kills + 1} on a fresh state folder, or on the previous run's. */
    private ChildApp startRun(String app, String guarantee, int kills, boolean fresh) throws InterruptedException {
        if (fresh) {
            stateDir = STACK.workDir().resolve(app).resolve("state-" + kills);
        }
        ChildApp run = ChildApp.start(app + "-run-" + (kills + 1) + (fresh ? "-fresh" : "-reused"), STACK.workDir().resolve(app),
                AppSettings.of(STACK.get(), app, guarantee, stateDir));
        runs.add(run);
        return run.awaitRunning(START);
    }

    /** Waits until a random number of further inputs has committed snapshots, so the kill comes mid-stream. */
    private static void awaitProgress(SnapshotWatcher watcher, ChildApp child, Random random) throws InterruptedException {
        int target = Math.min(RECORDS - MAX_PROGRESS, watcher.tally().distinct()
                + MIN_PROGRESS + random.nextInt(MAX_PROGRESS - MIN_PROGRESS));
        watcher.await(() -> alive(child) && watcher.tally().distinct() >= target, PROGRESS, () -> target
                + " inputs with snapshots, but only " + watcher.tally().distinct() + "\n" + child.tail(40));
        Thread.sleep(random.nextInt(300));
    }

    private static void awaitAll(SnapshotWatcher watcher, ChildApp child, InputLedger ledger) throws InterruptedException {
        watcher.await(() -> alive(child) && watcher.tally().distinct() >= RECORDS, FINISH, () ->
                "a snapshot of every input\n" + watcher.tally().describe(ledger) + child.tail(60));
    }

    private static boolean alive(ChildApp child) {
        child.assertAlive();
        return true;
    }

    private void assertEveryInputHandled(boolean exactlyOnce, String app, SnapshotTally tally, InputLedger ledger) {
        String context = tally.describe(ledger) + tails();
        assertThat(ledger.size()).isEqualTo(RECORDS);
        assertThat(tally.malformed()).as(context).isEmpty();
        assertThat(tally.strangers(ledger)).as(context).isEmpty();
        assertThat(tally.missing(ledger)).as("inputs without a snapshot\n" + context).isEmpty();
        assertThat(tally.missingKeys(ledger)).as("(source, sequence) without a snapshot\n" + context).isEmpty();
        if (exactlyOnce) {
            assertThat(tally.duplicated()).as("inputs with several snapshots\n" + context).isEmpty();
            assertThat(tally.duplicatedKeys()).as("(source, sequence) with several snapshots\n" + context).isEmpty();
        }
        assertThat(AppSettings.recordsIn(STACK.get(), AppSettings.deadLetterTopic(app))).as("dead letters\n" + context).isZero();
        assertThat(runs.stream().mapToInt(ChildApp::restoredEntries).sum())
                .as("arena entries restored after the kills\n" + context).isPositive();
        assertThat(tally.maxAttempt()).as("a restored arena entry dispatched again\n" + context).isGreaterThan(1);
    }

    private void printSummary(String guarantee, long seed, SnapshotTally tally, long started) {
        System.out.printf("CrashIT[%s] seed=%d records=%d kills=%d (fresh state dirs: %d) snapshots=%d "
                        + "duplicates=%d (inputs with more than one: %d) maxAttempt=%d byAttempt=%s "
                        + "restoredEntriesPerRun=%s took=%ds%n",
                guarantee, seed, RECORDS, KILLS, KILLS / 2, tally.total(), tally.extraSnapshots(),
                tally.duplicated().size(), tally.maxAttempt(), tally.byAttempt(),
                runs.stream().map(r -> r.name() + "=" + r.restoredEntriesByTask()).collect(Collectors.toList()),
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    private String tails() {
        return runs.stream().map(r -> r.tail(15)).collect(Collectors.joining());
    }
}
