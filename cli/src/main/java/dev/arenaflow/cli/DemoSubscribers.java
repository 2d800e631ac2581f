package dev.arenaflow.cli;

import dev.arenaflow.cli.api.ApiAddress;
import dev.arenaflow.cli.api.SnapshotWatch;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The demo's API clients: one {@code Subscribe} stream per plugin, from the earliest snapshot,
 * each printing what it receives as JSON lines, as {@code arenaflow watch} would.
 *
 * <p>Threading notes: each stream runs on its own thread; {@link #stop} and {@link #snapshots}
 * may be called from any thread.
 */
final class DemoSubscribers {

    private final List<SnapshotWatch> watches = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong snapshots = new AtomicLong();
    private final PrintStream out;
    private final boolean print;
    private final Consumer<String> log;

    DemoSubscribers(ApiAddress api, List<String> plugins, PrintStream out, boolean print, Consumer<String> log) {
        this.out = out;
        this.print = print;
        this.log = log;
        for (String plugin : plugins) {
            watches.add(new SnapshotWatch(List.of(api), plugin, List.of(), "earliest", true, log));
        }
    }

    void start() {
        for (SnapshotWatch watch : watches) {
            Thread thread = new Thread(() -> run(watch), "demo-subscriber");
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void run(SnapshotWatch watch) {
        try {
            SnapshotWatch.End end = watch.run(event -> {
                if (event.hasSnapshot()) {
                    snapshots.incrementAndGet();
                    if (print) {
                        RecordLines.print(out, event.getSnapshot().getJson());
                    }
                }
            });
            if (!end.status().isOk() && end.status().getCode() != io.grpc.Status.Code.CANCELLED) {
                log.accept("a Subscribe stream ended: " + end.status());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long snapshots() {
        return snapshots.get();
    }

    void stop() {
        watches.forEach(SnapshotWatch::stop);
    }

    void join() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
