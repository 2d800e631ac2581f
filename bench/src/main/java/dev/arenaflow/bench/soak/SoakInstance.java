package dev.arenaflow.bench.soak;

import dev.arenaflow.bench.async.ChildRun;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One arenaflow instance of the soak, run the way operators run it: {@code arenaflow run --config
 * FILE} ({@value #CLI_MAIN}) in a JVM of its own, with its own state folder. Killed with
 * SIGKILL and started again on the same file and state folder, as a supervisor would.
 *
 * <p>Threading notes: the fault thread kills and restarts; the main thread checks and closes;
 * its methods are synchronized.
 */
final class SoakInstance implements AutoCloseable {

    /** The CLI's main class, named rather than imported: the bench needs the CLI only at run time. */
    static final String CLI_MAIN = "dev.arenaflow.cli.ArenaflowCommand";

    private final String name;
    private final Path dir;
    private final Path config;
    private ChildRun run;
    private int starts;
    private int unexpectedExits;
    private boolean killed;

    private SoakInstance(String name, Path dir, Path config) {
        this.name = name;
        this.dir = dir;
        this.config = config;
    }

    /**
     * @param settings the shared settings; the state folder is added here
     * @return the instance, not started yet
     */
    static SoakInstance prepare(String name, Path work, Map<String, String> settings) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Properties props = new Properties();
        props.putAll(settings);
        props.put("state.dir", dir.resolve("state").toString());
        Path config = dir.resolve("arenaflow.properties");
        try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(out, "soak instance " + name);
        }
        return new SoakInstance(name, dir, config);
    }

    String name() {
        return name;
    }

    synchronized void start() throws IOException {
        starts++;
        killed = false;
        run = ChildRun.start(name + "-" + starts, dir, System.getProperty("java.class.path"), CLI_MAIN,
                List.of("run", "--config", config.toString()));
    }

    /** SIGKILL, and waits for the exit. */
    synchronized void kill() throws InterruptedException {
        killed = true;
        run.kill();
    }

    /**
     * Starts the instance again if it exited without being killed by the soak, and counts that.
     *
     * @return a line saying so, or null if it is running
     */
    synchronized String restartIfExited() throws IOException {
        if (killed) {
            return null;
        }
        try {
            run.assertAlive();
            return null;
        } catch (IllegalStateException exited) {
            unexpectedExits++;
            String what = name + " exited by itself (logs in " + dir + "); starting it again\n" + exited.getMessage();
            start();
            return what;
        }
    }

    synchronized int unexpectedExits() {
        return unexpectedExits;
    }

    /** SIGTERM, so it closes cleanly. */
    @Override
    public synchronized void close() {
        if (run != null) {
            run.close();
        }
    }
}
