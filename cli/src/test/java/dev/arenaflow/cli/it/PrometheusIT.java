package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arenaflow.cli.it.support.ItApp;
import dev.arenaflow.cli.it.support.PrometheusServer;
import dev.arenaflow.cli.it.support.StackPerClass;
import dev.arenaflow.ops.OperationsEndpoint;
import dev.arenaflow.record.RawRecordWriter;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginCatalog;
import dev.arenaflow.topology.SnapshotSerdes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Prometheus server scrapes a running instance on the real broker and registry; what its
 * HTTP API returns per plugin and task matches what the topics hold, its alert rules load, and
 * {@code promtool check metrics} passes on a scrape.
 */
class PrometheusIT {

    private static final String APP = "prometheus-it";
    private static final int PARTITIONS = 2;
    private static final int RECORDS = 400;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final StackPerClass STACK = StackPerClass.start("arenaflow-prometheus-it-");

    @Test
    void shouldServeSeriesToPrometheusThatMatchWhatTheTopicsHold() throws Exception {
        STACK.kafka().createTopics(Map.of(APP + ".raw", PARTITIONS));
        Map<Integer, Integer> perPartition = produce(APP + ".raw");
        Properties props = ItApp.settings(STACK.get(), APP, StreamsConfig.EXACTLY_ONCE_V2, STACK.workDir().resolve("state"));
        props.put(ArenaflowConfig.PLUGINS, "session");
        props.put(ArenaflowConfig.HTTP_PORT, "0");
        props.put(ArenaflowConfig.HTTP_BIND_ADDRESS, "127.0.0.1");
        PrometheusMeterRegistry meters = OperationsEndpoint.newRegistry(APP);
        ArenaflowSettings settings = ArenaflowSettings.validate(props, PluginCatalog.load(getClass().getClassLoader()));
        try (ArenaflowApplication app = ArenaflowApplication.create(settings, SnapshotSerdes.serializer(props), meters);
             OperationsEndpoint ops = OperationsEndpoint.start(app, meters);
             PrometheusServer prometheus = PrometheusServer.start(STACK.workDir().resolve("prometheus"),
                     URI.create(ops.url()).getAuthority(), rulesFile(), WAIT)) {
            app.start();
            assertThat(app.awaitRunning(WAIT)).isTrue();
            int snapshots = ItApp.readAll(STACK.get(), APP + ".snapshots.session", RECORDS,
                    SnapshotSerdes.deserializer(props, true)).size();
            assertThat(snapshots).isEqualTo(RECORDS);

            String selector = "{application=\"" + APP + "\",plugin=\"session\"}";
            double scraped = prometheus.awaitValue("sum(arenaflow_plugin_snapshots_out_total" + selector + ")",
                    v -> v >= snapshots, WAIT);
            assertThat(scraped).as("snapshots out, as Prometheus scraped it\n" + prometheus.logTail())
                    .isEqualTo(snapshots);
            JsonNode recordsIn = prometheus.query("arenaflow_plugin_records_in_total" + selector);
            Map<String, Integer> inPerTask = new HashMap<>();
            recordsIn.forEach(s -> inPerTask.put(s.path("metric").path("task").asText(),
                    s.path("value").get(1).asInt()));
            assertThat(inPerTask).as("records in per task = records in its input partition")
                    .isEqualTo(Map.of("0_0", perPartition.get(0), "0_1", perPartition.get(1)));
            assertThat(prometheus.query("up{job=\"arenaflow\"}").get(0).path("value").get(1).asText()).isEqualTo("1");
            assertThat(prometheus.get("/api/v1/rules").toString()).contains("ArenaflowCircuitBreakerTripped")
                    .contains("ArenaflowConsumerLagGrowing").doesNotContain("\"health\":\"err");

            String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ops.url() + "metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertPromtoolAccepts(scrape);
        }
    }

    private static void assertPromtoolAccepts(String scrape) throws Exception {
        Path file = STACK.workDir().resolve("scrape.txt");
        Files.writeString(file, scrape);
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.exitValue()).as("promtool check metrics on %s:%n%s", file, said).isZero();
    }

    private static Path rulesFile() {
        return Path.of(System.getProperty("arenaflow.home", ".."), "ops", "prometheus", "arenaflow-rules.yml");
    }

    /** @return how many records went to each partition */
    private static Map<Integer, Integer> produce(String topic) throws Exception {
        Map<Integer, Integer> perPartition = new HashMap<>(Map.of(0, 0, 1, 0));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                String source = "dev-" + (i % 8);
                int partition = producer.send(new ProducerRecord<>(topic, source.getBytes(StandardCharsets.UTF_8),
                        RawRecordWriter.encode(4, System.currentTimeMillis(), i / 8 + 1, source, new byte[] {0}, true)))
                        .get().partition();
                perPartition.merge(partition, 1, Integer::sum);
            }
        }
        return perPartition;
    }
}
