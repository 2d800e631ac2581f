package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code demo} on the production image's class path: {@code cli/target/arenaflow-cli.jar} and
 * {@code cli/target/lib}, which the Dockerfile copies, without {@code cli/target/demo-lib}.
 */
class DemoOutsideCheckoutIT {

    private static final int NO_LOCAL_STACK = 4;

    @Test
    void shouldKeepTheLocalStackOutOfTheImageLibraries() throws IOException {
        try (Stream<Path> jars = Files.list(target().resolve("lib"))) {
            assertThat(jars.map(jar -> jar.getFileName().toString()))
                    .isNotEmpty()
                    .noneMatch(name -> name.startsWith("arenaflow-local-stack"));
        }
        try (Stream<Path> jars = Files.list(target().resolve("demo-lib"))) {
            assertThat(jars.map(jar -> jar.getFileName().toString())).anyMatch(name -> name.startsWith("arenaflow-local-stack"));
        }
    }

    @Test
    void shouldSayTheDemoNeedsACheckoutAndExitWithItsStatus() throws Exception {
        Path target = target();
        Path err = Files.createTempFile("demo-image", ".err");
        String classPath = target.resolve("arenaflow-cli.jar") + File.pathSeparator + target.resolve("lib") + "/*";
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classPath, "dev.arenaflow.cli.ArenaflowCommand", "demo", "--records", "1")
                .redirectError(err.toFile()).start();
        demo.getOutputStream().close();

        boolean finished = demo.waitFor(2, TimeUnit.MINUTES);
        if (!finished) {
            demo.destroyForcibly();
        }

        List<String> stderr = Files.readAllLines(err, StandardCharsets.UTF_8);
        assertThat(finished).as("demo finished; stderr: %s", stderr).isTrue();
        assertThat(demo.exitValue()).as("exit status; stderr: %s", stderr).isEqualTo(NO_LOCAL_STACK);
        assertThat(stderr).containsExactly("arenaflow demo: the demo needs a source checkout (bin/arenaflow demo); its "
                + "local broker, registry and lookup service are not part of this installation");
    }

    private static Path target() {
        return Path.of(System.getProperty("arenaflow.home"), "cli", "target");
    }
}
