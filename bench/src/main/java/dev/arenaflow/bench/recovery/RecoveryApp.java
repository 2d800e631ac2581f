package dev.arenaflow.bench.recovery;

import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginCatalog;
import dev.arenaflow.topology.PluginMeterNames;
import dev.arenaflow.topology.SnapshotSerdes;
import java.time.Duration;
import java.util.Properties;

/**
 * The main class of a child JVM running one arenaflow instance until it is killed or sent SIGTERM.
 * Each argument is one {@code key=value} setting. Standard output carries the lines the parent
 * waits for, each with the wall-clock time it was written: {@code RUNNING <epoch ms>} once, when
 * Kafka Streams first runs, {@code ARENA <entries>} whenever the plugins' arena entries (the
 * {@code arena.entries} gauge, summed) change, and {@code RESTORED <entries>} whenever the entries its
 * open tasks restored (the {@code restored.entries} gauge, summed) change. Logs go to standard error.
 */
public final class RecoveryApp {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(100);

    private RecoveryApp() {
    }

    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            props.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        ArenaflowApplication app = ArenaflowApplication.create(
                ArenaflowSettings.validate(props, PluginCatalog.load(RecoveryApp.class.getClassLoader())),
                SnapshotSerdes.serializer(props));
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "recovery-app-close"));
        app.start();
        if (!app.awaitRunning(START_TIMEOUT)) {
            say("FAILED to run within " + START_TIMEOUT);
            System.exit(2);
        }
        say("RUNNING " + System.currentTimeMillis());
        long reported = -1;
        long restoredReported = -1;
        while (!app.awaitTermination(WATCH_INTERVAL)) {
            long entries = sum(app.meters(), PluginMeterNames.ARENA_ENTRIES);
            if (entries != reported) {
                reported = entries;
                say("ARENA " + entries);
            }
            long restored = sum(app.meters(), PluginMeterNames.RESTORED_ENTRIES);
            if (restored != restoredReported) {
                restoredReported = restored;
                say("RESTORED " + restored);
            }
        }
    }

    /** @return the gauges of that name summed over the plugins and tasks open now */
    private static long sum(io.micrometer.core.instrument.MeterRegistry meters, String gauge) {
        return meters.find(gauge).gauges().stream().mapToLong(g -> (long) g.value()).sum();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
