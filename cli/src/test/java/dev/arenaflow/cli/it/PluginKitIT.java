package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin developer kit as a plugin author uses it, from an empty directory: {@code bin/arenaflow
 * new-plugin} (sync, then {@code --async}), {@code mvn verify} of each generated project (its own
 * PluginHarness test passes), then both plugins in {@code bin/arenaflow demo --plugin-path} on the real
 * broker and registry, their snapshots arriving on {@code snapshots.NAME} and their schemas in the
 * registry.
 *
 * <p>The generated projects build with their own local repository, {@code target/kit-it-m2}, kept
 * between runs: arenaflow's artifacts come from the kit repository, like on a user's machine, and
 * never from or into the shared {@code ~/.m2}, from which third-party artifacts are copied (Maven
 * Central only for what it lacks). The second project builds offline.
 */
class PluginKitIT {

    private static final Duration MAVEN_LIMIT = Duration.ofMinutes(5);
    private static final Duration DEMO_LIMIT = Duration.ofMinutes(3);
    private static final Pattern REGISTRY = Pattern.compile("registry: (http://127\\.0\\.0\\.1:\\d+)/");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root = Path.of(System.getProperty("arenaflow.home")).toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void shouldGenerateBuildAndRunSyncAndAsyncPluginsFromAnEmptyDirectory() throws Exception {
        forgetArenaflowArtifacts();
        Path online = settings("online.xml", false);
        Path offline = settings("offline.xml", true);

        List<String> counter = run("new-counter", List.of(launcher(), "new-plugin", "counter", "--dir", work.toString(),
                "--maven-settings", online.toString()), MAVEN_LIMIT);
        assertThat(counter).hasSize(2);
        assertThat(counter.get(0)).isEqualTo("cd " + work.resolve("counter") + " && mvn -s " + online + " verify");
        verify(work.resolve("counter"), online);
        List<String> lookup = run("new-lookup", List.of(launcher(), "new-plugin", "lookup", "--async", "--dir",
                work.toString(), "--maven-settings", offline.toString()), MAVEN_LIMIT);
        assertThat(lookup.get(1)).endsWith(" --set 'plugin.lookup.url.template={lookup}/sources/{source}'");
        verify(work.resolve("lookup"), offline);

        runInDemo();
    }

    /** mvn verify as the printed command has it; the generated test ran and passed, and the jar is in target/plugin. */
    private void verify(Path project, Path settings) throws Exception {
        run("verify-" + project.getFileName(), List.of("mvn", "-B", "-s", settings.toString(), "verify"), project,
                MAVEN_LIMIT);
        String name = project.getFileName().toString();
        String report = Files.readString(project.resolve("target/surefire-reports").resolve(
                "com.example." + name + "." + Character.toUpperCase(name.charAt(0)) + name.substring(1) + "PluginTest.txt"));
        assertThat(report).containsPattern("Tests run: [1-9]\\d*, Failures: 0, Errors: 0, Skipped: 0");
        assertThat(project.resolve("target/plugin/" + name + ".jar")).isRegularFile();
    }

    private void runInDemo() throws Exception {
        Path out = work.resolve("demo.out");
        Path err = work.resolve("demo.err");
        ProcessBuilder builder = new ProcessBuilder(launcher(), "demo", "--plugins", "session,counter,lookup",
                "--plugin-path", work.resolve("counter/target/plugin") + "," + work.resolve("lookup/target/plugin"),
                "--set", "plugin.lookup.url.template={lookup}/sources/{source}", "--rate", "40")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("ARENAFLOW_NO_BUILD", "1");
        Process demo = builder.start();
        try {
            List<JsonNode> counts = awaitSnapshots(demo, out, err, "counter");
            List<JsonNode> answers = awaitSnapshots(demo, out, err, "lookup");
            assertThat(counts).allSatisfy(line -> {
                assertThat(line.path("value").path("meta").path("plugin").asText()).isEqualTo("counter");
                assertThat(line.path("value").path("count").asLong()).isPositive();
            });
            assertThat(answers).allSatisfy(line -> assertThat(line.path("value").path("answer").asText()).contains("plant-"));
            assertSchemaRegistered(Files.readString(err), "snapshots.counter", "CounterSnapshot");
            assertSchemaRegistered(Files.readString(err), "snapshots.lookup", "LookupSnapshot");
        } finally {
            demo.destroy();
            assertThat(demo.waitFor(1, TimeUnit.MINUTES)).as("the demo stops on SIGTERM").isTrue();
        }
    }

    /** Snapshots reach the demo's output through the API, which reads them with the registry's schema. */
    private List<JsonNode> awaitSnapshots(Process demo, Path out, Path err, String plugin) throws Exception {
        long deadline = System.nanoTime() + DEMO_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                JsonNode node = JSON.readTree(line);
                if (node.path("topic").asText().equals("snapshots." + plugin)) {
                    lines.add(node);
                }
            }
            if (lines.size() >= 5) {
                return lines;
            }
            assertThat(demo.isAlive()).as("demo running; stderr:%n%s", Files.readString(err)).isTrue();
            demo.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("no 5 snapshots of " + plugin + " within " + DEMO_LIMIT + "; stderr:\n" + Files.readString(err));
    }

    private static void assertSchemaRegistered(String stderr, String topic, String record) throws Exception {
        Matcher registry = REGISTRY.matcher(stderr);
        assertThat(registry.find()).as(stderr).isTrue();
        HttpResponse<String> schema = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(registry.group(1)
                + "/apis/ccompat/v7/subjects/" + topic + "-value/versions/latest")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(schema.statusCode()).as(schema.body()).isEqualTo(200);
        assertThat(schema.body()).contains(record).contains("SnapshotMeta");
    }

    /**
     * The kit repository holds SNAPSHOTs without remote metadata, so Maven would keep using the copies
     * an earlier run cached; this run must build against the plugin API of this build.
     */
    private void forgetArenaflowArtifacts() throws IOException {
        Path cached = localRepository().resolve("dev/arenaflow");
        if (Files.exists(cached)) {
            try (java.util.stream.Stream<Path> paths = Files.walk(cached)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private Path localRepository() {
        return root.resolve("cli/target/kit-it-m2");
    }

    /**
     * Settings for the generated projects' Maven: their own local repository, and the shared one as a
     * read-only source of third-party artifacts (never of arenaflow's: snapshots are off there).
     */
    private Path settings(String file, boolean offline) throws IOException {
        Path localRepository = localRepository();
        String shared = Path.of(System.getProperty("arenaflow.it.shared.repo")).toUri().toString();
        String repository = """
                  <id>shared-m2</id><url>%s</url>
                  <releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots>
                """.formatted(shared);
        Path settings = work.resolve(file);
        Files.writeString(settings, """
                <settings>
                  <localRepository>%s</localRepository>
                  <offline>%s</offline>
                  <profiles><profile><id>shared</id>
                    <repositories><repository>%s</repository></repositories>
                    <pluginRepositories><pluginRepository>%s</pluginRepository></pluginRepositories>
                  </profile></profiles>
                  <activeProfiles><activeProfile>shared</activeProfile></activeProfiles>
                </settings>
                """.formatted(localRepository, offline, repository, repository));
        return settings;
    }

    private String launcher() {
        return root.resolve("bin/arenaflow").toString();
    }

    private List<String> run(String name, List<String> command, Duration limit) throws Exception {
        return run(name, command, work, limit);
    }

    /** Runs a command to its end and returns its standard output; fails, with its output, unless it exits 0. */
    private List<String> run(String name, List<String> command, Path directory, Duration limit) throws Exception {
        Path out = work.resolve(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(out.toFile()).redirectErrorStream(false).redirectError(work.resolve(name + ".err").toFile());
        builder.environment().put("ARENAFLOW_NO_BUILD", "1");
        Process process = builder.start();
        process.getOutputStream().close();
        boolean ended = process.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = Files.readString(out) + Files.readString(work.resolve(name + ".err"));
        assertThat(ended).as("%s ended within %s; output:%n%s", command, limit, output).isTrue();
        assertThat(process.exitValue()).as("%s exit status; output:%n%s", command, output).isZero();
        return Files.readAllLines(out);
    }
}
