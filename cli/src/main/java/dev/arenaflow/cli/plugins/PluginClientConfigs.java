package dev.arenaflow.cli.plugins;

import dev.arenaflow.cli.io.ClientSettings;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.ArenaflowTopology;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The settings of the clients {@code plugins} uses, derived from the application's settings the way
 * Kafka Streams derives its own clients' settings, so that security settings and the
 * {@code global.consumer.}, {@code producer.} and {@code admin.} overrides apply as they do in the
 * running application. Every request is bounded by the command's timeout, so that an unreachable
 * cluster fails the command instead of hanging it.
 */
public final class PluginClientConfigs {

    static final String CLIENT_ID = "arenaflow-plugins";
    private static final String READ_COMMITTED = "read_committed";

    private final StreamsConfig streams;
    private final String timeoutMs;

    /**
     * @param settings the validated settings
     * @param timeout the longest wait for any one request
     */
    public PluginClientConfigs(ArenaflowSettings settings, Duration timeout) {
        this.streams = new StreamsConfig(ArenaflowTopology.streamsProperties(settings.properties()));
        this.timeoutMs = Long.toString(timeout.toMillis());
    }

    /** @return settings of a consumer without a group that reads committed records only */
    public Map<String, Object> consumer() {
        // The global consumer's settings: like the one that will read the control topic into instances.
        Map<String, Object> config = only(streams.getGlobalConsumerConfigs(CLIENT_ID), ConsumerConfig.configNames());
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        return ClientSettings.forConsumer(config, READ_COMMITTED);
    }

    /** @return settings of an idempotent producer with acks=all that sends at once */
    public Map<String, Object> producer() {
        Map<String, Object> config = only(streams.getProducerConfigs(CLIENT_ID), ProducerConfig.configNames());
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        // The operator waits for one tiny record: it must be durable, written once, and not wait for a batch.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        return ClientSettings.forProducer(config);
    }

    /** @return settings of an admin client */
    public Map<String, Object> admin() {
        Map<String, Object> config = only(streams.getAdminConfigs(CLIENT_ID), AdminClientConfig.configNames());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        return config;
    }

    /** Kafka Streams passes every unknown setting on to its clients, which then warn about each one. */
    private static Map<String, Object> only(Map<String, Object> derived, Set<String> clientSettings) {
        Map<String, Object> config = new TreeMap<>(derived);
        config.keySet().retainAll(clientSettings);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, CLIENT_ID);
        return config;
    }
}
