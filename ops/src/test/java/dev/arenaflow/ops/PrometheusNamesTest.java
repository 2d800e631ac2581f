package dev.arenaflow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.record.RawRecordWriter;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowTopology;
import dev.arenaflow.topology.PluginCatalog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-plugin meters as Prometheus scrapes them: names with the {@code arenaflow_} prefix,
 * {@code _total} on counters, {@code _seconds} on timers with histogram buckets, and the labels
 * {@code plugin}, {@code task} and {@code application}.
 */
class PrometheusNamesTest {

    private static final Serializer<SpecificRecord> SNAPSHOTS = (topic, record) ->
            record.toString().getBytes(StandardCharsets.UTF_8);
    private static final Pattern SAMPLE = Pattern.compile("^(arenaflow_[a-z_]+)\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);

    private PrometheusMeterRegistry registry;
    private TopologyTestDriver driver;

    @BeforeEach
    void start() {
        registry = OperationsEndpoint.newRegistry("names-test");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "names-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(ArenaflowConfig.PLUGINS, "session");
        ArenaflowConfig config = new ArenaflowConfig(props);
        driver = new TopologyTestDriver(ArenaflowTopology.build(config,
                PluginCatalog.load(getClass().getClassLoader()).select(config), SNAPSHOTS, registry),
                ArenaflowTopology.streamsProperties(props));
        TestInputTopic<byte[], byte[]> input = driver.createInputTopic("raw-events", new ByteArraySerializer(),
                new ByteArraySerializer());
        for (int i = 1; i <= 3; i++) {
            input.pipeInput("s".getBytes(StandardCharsets.UTF_8),
                    RawRecordWriter.encode(4, 1_764_000_000_000L + i, i, "s", new byte[] {1}, true));
        }
    }

    @AfterEach
    void stop() {
        driver.close();
        registry.close();
    }

    @Test
    void shouldExposeCountersWithTotalSuffixAndPluginTaskLabels() {
        String scrape = registry.scrape();
        assertThat(value(scrape, "arenaflow_plugin_records_in_total")).isEqualTo(3.0);
        assertThat(value(scrape, "arenaflow_plugin_snapshots_out_total")).isEqualTo(3.0);
        assertThat(scrape).contains("# TYPE arenaflow_plugin_snapshots_out_total counter")
                .contains("# TYPE arenaflow_plugin_breaker_trips_total counter")
                .contains("# TYPE arenaflow_plugin_retries_total counter")
                .contains("# TYPE arenaflow_plugin_arena_entries gauge")
                .contains("# TYPE arenaflow_plugin_in_flight gauge")
                .contains("# TYPE arenaflow_plugin_state gauge");
        assertThat(labels(scrape, "arenaflow_plugin_snapshots_out_total"))
                .isEqualTo("application=\"names-test\",plugin=\"session\",task=\"0_0\"");
        assertThat(labels(scrape, "arenaflow_plugin_retries_total")).containsPattern("tier=\"\\d+m?s\"");
    }

    @Test
    void shouldExposeTimersAsHistogramsInSeconds() {
        String scrape = registry.scrape();
        for (String timer : List.of("handle_duration", "async_completion", "retry_lateness")) {
            assertThat(scrape).contains("# TYPE arenaflow_plugin_" + timer + "_seconds histogram")
                    .contains("arenaflow_plugin_" + timer + "_seconds_bucket{")
                    .contains("arenaflow_plugin_" + timer + "_seconds_count{");
        }
        assertThat(scrape).contains("le=\"0.001\"").contains("le=\"1.0\"").contains("le=\"+Inf\"");
        assertThat(value(scrape, "arenaflow_plugin_handle_duration_seconds_count")).isEqualTo(3.0);
    }

    @Test
    void shouldShowTheAppliedStateAsOneSeriesPerState() {
        String scrape = registry.scrape();
        assertThat(scrape).contains("arenaflow_plugin_state{application=\"names-test\",plugin=\"session\","
                + "state=\"enabled\",task=\"0_0\"} 1.0")
                .contains("state=\"paused\",task=\"0_0\"} 0.0")
                .contains("state=\"disabled\",task=\"0_0\"} 0.0");
    }

    private static double value(String scrape, String name) {
        Matcher m = SAMPLE.matcher(scrape);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return Double.parseDouble(m.group(3));
            }
        }
        throw new AssertionError(name + " not in the scrape:\n" + scrape);
    }

    private static String labels(String scrape, String name) {
        Matcher m = SAMPLE.matcher(scrape);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        throw new AssertionError(name + " not in the scrape");
    }
}
