package dev.arenaflow.bench;

import dev.arenaflow.local.LocalStack;
import java.nio.file.Path;

/**
 * What the sections share: a work folder, removed at the end, and one local broker and schema
 * registry, started the first time a section asks for them.
 */
public final class BenchEnv implements AutoCloseable {

    private final Path work;
    private LocalStack stack;

    BenchEnv(Path work) {
        this.work = work;
    }

    /** @return a folder for this run's files */
    public Path work() {
        return work;
    }

    /** @return the local broker and registry, started on first use */
    public synchronized LocalStack stack() throws Exception {
        if (stack == null) {
            progress("starting a local Kafka broker and schema registry");
            stack = LocalStack.start(work.resolve("stack"));
        }
        return stack;
    }

    /** Prints a progress line to stderr. */
    public static void progress(String line) {
        System.err.println("[bench] " + line);
    }

    @Override
    public synchronized void close() {
        if (stack != null) {
            stack.close();
        }
    }
}
