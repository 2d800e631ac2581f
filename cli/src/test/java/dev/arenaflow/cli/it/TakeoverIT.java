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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Takeover: two arenaflow instances with the same application id, each on its own state folder,
 * share a four-partition input topic while records stream in, and both process with messages
 * waiting in the arena of the async {@code slow} plugin. Then one of them is stopped, cleanly
 * (SIGTERM) or not (SIGKILL), while records are still being produced. The survivor must take over
 * the stopped instance's tasks together with their pending arena entries, restored from the
 * changelog and dispatched again. In the end every input has a snapshot on the snapshot topic
 * (read {@code read_committed}): exactly one under exactly-once, even after SIGKILL; at least one
 * under at-least-once.
 */
class TakeoverIT {

    private static final int RECORDS = 12_000;
    private static final int PARTITIONS = 4;
    private static final int SOURCES = 40;
    // 20 s of input: both instances must show progress, and one be stopped, while it still flows, also on a busy machine.
    private static final int PER_SECOND = 600;
    /** Inputs with snapshots from each instance's partitions before one is stopped. */
    private static final int MIN_PROGRESS = 250;
    private static final int MAX_EXTRA_WAIT_MS = 500;
    private static final Set<String> ALL_TASKS = IntStream.range(0, PARTITIONS).mapToObj(p -> "0_" + p)
            .collect(Collectors.toCollection(TreeSet::new));
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration SPLIT = Duration.ofSeconds(60);
    private static final Duration PROGRESS = Duration.ofSeconds(60);
    private static final Duration TAKEOVER = Duration.ofSeconds(60);
    private static final Duration FINISH = Duration.ofSeconds(120);

    /** How the stopped instance goes. */
    enum Stop {
        /** {@code Process.destroy()}: Kafka Streams closes cleanly and commits. */
        SIGTERM,
        /** {@code Process.destroyForcibly()}: no commit, an open transaction is left behind. */
        SIGKILL
    }

    @RegisterExtension
    static final StackPerClass STACK = StackPerClass.forKilledInstances("arenaflow-takeover-it-");

    private final List<ChildApp> runs = new ArrayList<>();

    @AfterEach
    void stopRuns() {
        runs.forEach(ChildApp::close);
        runs.clear();
    }

    @ParameterizedTest(name = "[{index}] {0}, {1}")
    @CsvSource({"exactly_once_v2, SIGTERM", "exactly_once_v2, SIGKILL", "at_least_once, SIGKILL"})
    void shouldTakeOverTheStoppedInstancesPartitionsAndPendingEntries(String guarantee, Stop stop) throws Exception {
        long started = System.nanoTime();
        String app = "takeover-" + guarantee.replace('_', '-') + "-" + stop.name().toLowerCase();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        STACK.kafka().createTopics(Map.of(AppSettings.inputTopic(app), PARTITIONS));
        AppSettings.registerSnapshotSchema(STACK.get(), app);
        InputLedger ledger = new InputLedger();
        // Both start before any input: neither has state to catch up on, so the tasks are split evenly.
        ChildApp a = startInstance(app, guarantee, "a");
        ChildApp b = startInstance(app, guarantee, "b");
        a.awaitRunning(START);
        b.awaitRunning(START);
        awaitSplit(a, b);

        SnapshotTally progress = new SnapshotTally(SlowPlugin.NAME, AppSettings.inputTopic(app));
        Takeover takeover;
        try (SnapshotWatcher watcher = SnapshotWatcher.follow(STACK.kafka().bootstrapServers(),
                STACK.registry().apicurioV2Url(), AppSettings.snapshotTopic(app), progress)) {
            InputFeed feed = new InputFeed(STACK.kafka().bootstrapServers(), AppSettings.inputTopic(app), SOURCES, ledger)
                    .start(RECORDS, PER_SECOND);
            awaitBothProcessing(watcher, a, b, ledger);
            Thread.sleep(random.nextInt(MAX_EXTRA_WAIT_MS));
            boolean stopA = random.nextBoolean();
            takeover = stop(stopA ? a : b, stopA ? b : a, stop, feed);
            feed.awaitDone(FINISH);
            awaitAll(watcher, takeover.survivor(), ledger);
            takeover.survivor().terminate();
        }
        SnapshotTally tally = SnapshotWatcher.readAll(STACK.kafka().bootstrapServers(), STACK.registry().apicurioV2Url(),
                AppSettings.snapshotTopic(app), new SnapshotTally(SlowPlugin.NAME, AppSettings.inputTopic(app)));
        printSummary(guarantee, stop, seed, takeover, tally, started);
        assertEveryInputHandled(guarantee.startsWith("exactly_once"), app, tally, ledger);
        assertPendingEntriesTakenOver(takeover, tally, ledger);
    }

    /**
     * What was stopped, what it held, and the arena entries the survivor restored in the tasks it
     * took over (its {@code arenaflow_plugin_restored_entries} for them).
     */
    private record Takeover(ChildApp victim, ChildApp survivor, Stop how, Set<String> victimTasks,
                            Map<String, Integer> pendingAtStop, int producedAtStop,
                            Map<String, Integer> restoredByTakenOverTask, long takeoverMillis) {

        int pending() {
            return pendingAtStop.values().stream().mapToInt(Integer::intValue).sum();
        }

        int restored() {
            return restoredByTakenOverTask().values().stream().mapToInt(Integer::intValue).sum();
        }

        Set<Integer> victimPartitions() {
            return partitions(victimTasks);
        }
    }

    private ChildApp startInstance(String app, String guarantee, String instance) {
        Path stateDir = STACK.workDir().resolve(app).resolve("state-" + instance);
        ChildApp run = ChildApp.start(app + "-" + instance, STACK.workDir().resolve(app), AppSettings.of(STACK.get(), app, guarantee, stateDir));
        runs.add(run);
        return run;
    }

    /** Waits until each instance holds active tasks, and together they hold every task once. */
    private void awaitSplit(ChildApp a, ChildApp b) throws InterruptedException {
        long deadline = System.nanoTime() + SPLIT.toNanos();
        while (!split(a.tasks(), b.tasks())) {
            a.assertAlive();
            b.assertAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the tasks " + ALL_TASKS + " were not split between both instances within "
                        + SPLIT + ": " + a.name() + " has " + a.tasks() + ", " + b.name() + " has " + b.tasks()
                        + "\n" + tails());
            }
            Thread.sleep(100);
        }
    }

    private static boolean split(Set<String> a, Set<String> b) {
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        return !a.isEmpty() && !b.isEmpty() && a.size() + b.size() == ALL_TASKS.size() && union.equals(ALL_TASKS);
    }

    /** Waits until inputs of each instance's partitions have committed snapshots, so both really process. */
    private void awaitBothProcessing(SnapshotWatcher watcher, ChildApp a, ChildApp b, InputLedger ledger)
            throws InterruptedException {
        watcher.await(() -> {
            a.assertAlive();
            b.assertAlive();
            Map<Integer, Integer> done = watcher.tally().distinctByPartition();
            return processed(done, a.tasks()) >= MIN_PROGRESS && processed(done, b.tasks()) >= MIN_PROGRESS
                    && split(a.tasks(), b.tasks());
        }, PROGRESS, () -> MIN_PROGRESS + " inputs with snapshots from the partitions of each instance, still split; "
                + a.name() + " has " + a.tasks() + ", " + b.name() + " has " + b.tasks() + ", snapshots per partition "
                + watcher.tally().distinctByPartition() + "\n" + watcher.tally().describe(ledger) + tails());
    }

    private static int processed(Map<Integer, Integer> byPartition, Set<String> tasks) {
        return partitions(tasks).stream().mapToInt(p -> byPartition.getOrDefault(p, 0)).sum();
    }

    private Takeover stop(ChildApp victim, ChildApp survivor, Stop how, InputFeed feed) throws InterruptedException {
        Set<String> victimTasks = victim.tasks();
        int produced = feed.produced();
        assertThat(produced).as("the stop must come while records are still produced\n" + tails()).isLessThan(RECORDS);
        long stopped = System.nanoTime();
        if (how == Stop.SIGTERM) {
            victim.terminate();
        } else {
            victim.kill();
        }
        // Read after the stop: a closing instance goes on processing until its stream thread notices.
        Map<String, Integer> pending = victim.arenaEntries();
        survivor.awaitTasks(tasks -> tasks.containsAll(ALL_TASKS), TAKEOVER,
                "every task, after " + victim.name() + " stopped with " + how);
        long takeoverMillis = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
        Map<String, Integer> restored = survivor.awaitRestored(victimTasks, TAKEOVER);
        return new Takeover(victim, survivor, how, victimTasks, pending, produced, restored, takeoverMillis);
    }

    private void awaitAll(SnapshotWatcher watcher, ChildApp survivor, InputLedger ledger) throws InterruptedException {
        watcher.await(() -> {
            survivor.assertAlive();
            return watcher.tally().distinct() >= RECORDS;
        }, FINISH, () -> "a snapshot of every input\n" + watcher.tally().describe(ledger) + tails());
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
    }

    /**
     * The stopped instance's pending arena entries, as it last reported them (every 200 ms): on
     * SIGTERM its final commit made them durable; on SIGKILL its last commit did, since under a
     * steady stream with the arena never empty every 500 ms commit finds entries still pending. The
     * survivor must restore them for the tasks it took over, and dispatch them again.
     */
    private void assertPendingEntriesTakenOver(Takeover takeover, SnapshotTally tally, InputLedger ledger) {
        String context = "stopped " + takeover.victim().name() + " with " + takeover.how() + " holding tasks "
                + takeover.victimTasks() + " and arena entries " + takeover.pendingAtStop() + "; survivor "
                + takeover.survivor().name() + " restored " + takeover.restoredByTakenOverTask()
                + " in the tasks it took over\n" + tally.describe(ledger) + tails();
        if (takeover.pending() > 0) {
            assertThat(takeover.restored()).as("arena entries restored by the survivor\n" + context).isPositive();
            assertThat(retried(tally, takeover.victimPartitions()))
                    .as("snapshots of restored entries dispatched again (attempt above 1) on the taken-over partitions\n"
                            + context).isPositive();
            assertThat(tally.maxAttempt()).as(context).isGreaterThan(1);
        }
    }

    private static int retried(SnapshotTally tally, Set<Integer> partitions) {
        return tally.retriedByPartition().entrySet().stream().filter(e -> partitions.contains(e.getKey()))
                .mapToInt(Map.Entry::getValue).sum();
    }

    private static Set<Integer> partitions(Set<String> tasks) {
        return tasks.stream().map(t -> Integer.parseInt(t.substring(t.indexOf('_') + 1)))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private void printSummary(String guarantee, Stop stop, long seed, Takeover takeover, SnapshotTally tally,
                              long started) {
        System.out.printf("TakeoverIT[%s, %s] seed=%d records=%d stopped=%s tasks=%s pendingAtStop=%s "
                        + "producedAtStop=%d takeoverMs=%d snapshots=%d duplicates=%d (inputs with more than one: %d) "
                        + "maxAttempt=%d byAttempt=%s retriedByPartition=%s restoredByTakenOverTask=%s "
                        + "took=%ds%n",
                guarantee, stop, seed, RECORDS, takeover.victim().name(), takeover.victimTasks(),
                takeover.pendingAtStop(), takeover.producedAtStop(), takeover.takeoverMillis(), tally.total(),
                tally.extraSnapshots(), tally.duplicated().size(), tally.maxAttempt(), tally.byAttempt(),
                tally.retriedByPartition(), takeover.restoredByTakenOverTask(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    private String tails() {
        return runs.stream().map(r -> r.tail(15)).collect(Collectors.joining());
    }
}
