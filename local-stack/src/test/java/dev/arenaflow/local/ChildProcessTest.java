package dev.arenaflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs small single-file Java programs as children, standing in for the servers. */
class ChildProcessTest {

    private static final Duration SHORT = Duration.ofMillis(200);
    /** The end of a child's main that runs until it is stopped, like a server. */
    private static final String RUN_UNTIL_STOPPED = "Thread.currentThread().join();";

    @TempDir
    Path dir;

    @Test
    void shouldQuoteTheLogTailWhenTheChildExitsBeforeItIsReady() throws Exception {
        ChildProcess child = start("for (int i = 1; i <= 40; i++) System.out.println(\"line \" + i);"
                + " System.err.println(\"java.net.BindException: Address already in use\"); System.exit(3);");

        assertThatThrownBy(() -> ReadinessProbe.await(child, () -> false, Duration.ofSeconds(30), SHORT))
                .isInstanceOfSatisfying(ChildProcessException.class, e -> assertThat(e.isPortClash()).isTrue())
                .hasMessageContaining("The test server exited before it was ready")
                .hasMessageContaining("line 40")
                .hasMessageNotContaining("line 11\n");
    }

    @Test
    void shouldGiveUpAfterTheTimeoutAndLeaveStoppingToTheCaller() throws Exception {
        ChildProcess child = start("System.out.println(\"still starting\"); " + RUN_UNTIL_STOPPED);
        try {
            assertThatThrownBy(() -> ReadinessProbe.await(child, () -> false, Duration.ofSeconds(1), SHORT))
                    .isInstanceOfSatisfying(ChildProcessException.class, e -> assertThat(e.isPortClash()).isFalse())
                    .hasMessageContaining("was not ready within 1 s");
            assertThat(child.isAlive()).isTrue();
        } finally {
            child.stop(SHORT);
        }
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void shouldKillAChildThatDoesNotStopOnSigterm() throws Exception {
        // A shutdown hook that never ends keeps a JVM alive after SIGTERM: only a SIGKILL ends this child.
        ChildProcess child = start("Runtime.getRuntime().addShutdownHook(new Thread(() -> {"
                + " try { Thread.currentThread().join(); } catch (InterruptedException e) { } }));"
                + " System.out.println(\"up\"); " + RUN_UNTIL_STOPPED);
        ReadinessProbe.await(child, () -> child.logTail(1).equals("up"), Duration.ofSeconds(30), SHORT);

        try {
            child.stop(Duration.ofMillis(500));

            assertThat(child.isAlive()).as("alive after stop(): it was not killed").isFalse();
        } finally {
            child.kill();
        }
    }

    @Test
    void shouldStopIdempotently() throws Exception {
        ChildProcess child = start("System.out.println(\"up\"); " + RUN_UNTIL_STOPPED);

        child.stop(Duration.ofSeconds(5));
        child.stop(Duration.ofSeconds(5));

        assertThat(child.isAlive()).isFalse();
    }

    private ChildProcess start(String mainBody) throws IOException {
        Path source = dir.resolve("Server.java");
        Files.writeString(source, "public class Server { public static void main(String[] args) throws Exception { "
                + mainBody + " } }");
        return ChildProcess.startJava("test server", List.of(source.toString()), dir, dir.resolve("server.log"));
    }
}
