package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's first command, run as a user runs it: {@code bin/arenaflow demo}. */
class DemoIT {

    private static final int RECORDS = 40;
    private static final Pattern WORK_DIR = Pattern.compile("schema registry in (\\S+) \\.\\.\\.");

    @Test
    void shouldRunWholePipelineAndExitZeroHavingPrintedOneLinePerRecord() throws Exception {
        Path root = Path.of(System.getProperty("arenaflow.home")).toRealPath();
        Path out = Files.createTempFile("demo", ".out");
        Path err = Files.createTempFile("demo", ".err");
        ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/arenaflow").toString(), "demo",
                "--records", Integer.toString(RECORDS), "--rate", "40", "--malformed-rate", "0.1")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("ARENAFLOW_NO_BUILD", "1");
        Process demo = builder.start();

        boolean finished = demo.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            demo.destroyForcibly();
        }

        String stderr = Files.readString(err);
        assertThat(finished).as("demo finished; stderr:%n%s", stderr).isTrue();
        assertThat(demo.exitValue()).as("exit status; stderr:%n%s", stderr).isZero();
        List<JsonNode> lines = parse(Files.readAllLines(out, StandardCharsets.UTF_8));
        long malformed = lines.stream().filter(l -> l.path("topic").asText().equals("arenaflow.dlq.decode")).count();
        // Each valid record yields one line per plugin (session and enrich), each malformed one a decode dead letter.
        assertThat(lines).hasSize((int) (2 * (RECORDS - malformed) + malformed));
        assertThat(lines).filteredOn(l -> l.path("topic").asText().startsWith("snapshots.enrich")).isNotEmpty()
                .allSatisfy(l -> assertThat(l.path("value").path("attributes").path("site").asText()).startsWith("plant-"));
        assertThat(lines).filteredOn(l -> l.path("topic").asText().equals("snapshots.session")).isNotEmpty()
                .allSatisfy(l -> assertThat(l.path("value").path("meta").path("plugin").asText()).isEqualTo("session"));
        assertThat(lines).filteredOn(l -> l.path("topic").asText().equals("arenaflow.dlq.decode"))
                .allSatisfy(l -> assertThat(l.path("verdict").path("ok").asBoolean()).isFalse());
        assertThat(stderr).contains("broker:   127.0.0.1:").contains("registry: http://127.0.0.1:")
                .contains("status:   http://127.0.0.1:")
                .containsPattern("api: +127\\.0\\.0\\.1:\\d+ +\\(gRPC; try: bin/arenaflow watch --api 127\\.0\\.0\\.1:\\d+ --plugin session")
                // Snapshots reach the demo through Subscribe: no stream ended before the demo stopped.
                .doesNotContain("a Subscribe stream ended");
        Matcher workDir = WORK_DIR.matcher(stderr);
        assertThat(workDir.find()).isTrue();
        assertThat(Path.of(workDir.group(1))).doesNotExist();
    }

    private static List<JsonNode> parse(List<String> lines) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> nodes = new java.util.ArrayList<>();
        for (String line : lines) {
            nodes.add(json.readTree(line));
        }
        return nodes;
    }
}
