package dev.arenaflow.cli.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginCatalog;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The clients follow the application's client settings, bounded by the command's timeout. */
class PluginClientConfigsTest {

    private final PluginClientConfigs configs = new PluginClientConfigs(ArenaflowSettings.validate(Map.of(
            "application.id", "app",
            "bootstrap.servers", "broker:9092",
            "arenaflow.registry.url", "http://registry:8080/apis/registry/v2",
            "processing.guarantee", "exactly_once_v2",
            "security.protocol", "SASL_SSL",
            "producer.acks", "1",
            "producer.compression.type", "zstd",
            "global.consumer.fetch.max.bytes", "1000",
            "admin.retries", "3"), PluginCatalog.load(getClass().getClassLoader())), Duration.ofSeconds(7));

    @Test
    void shouldProduceIdempotentlyWithAcksAllWhateverTheApplicationsProducerDoes() {
        Map<String, Object> producer = configs.producer();

        assertThat(producer).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "7000")
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "7000")
                .doesNotContainKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        assertThat(producer.keySet()).allMatch(ProducerConfig.configNames()::contains);
    }

    @Test
    void shouldConsumeCommittedRecordsWithoutAGroupAsTheGlobalConsumerWould() {
        Map<String, Object> consumer = configs.consumer();

        assertThat(consumer).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "1000")
                .containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
                .containsEntry(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "7000")
                .doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
        assertThat(consumer.keySet()).allMatch(ConsumerConfig.configNames()::contains);
    }

    @Test
    void shouldGiveTheAdminClientItsOverridesAndTheTimeout() {
        assertThat(configs.admin()).containsEntry(AdminClientConfig.RETRIES_CONFIG, "3")
                .containsEntry(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "7000")
                .containsEntry("security.protocol", "SASL_SSL");
    }
}
