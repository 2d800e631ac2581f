package dev.arenaflow.cli.replay;

import dev.arenaflow.cli.io.ClientSettings;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The settings of replay's own clients, taken from the application's settings so that they reach
 * the same cluster the same way (bootstrap servers, security, timeouts): the client's own keys,
 * with the {@code consumer.} or {@code producer.} overrides Kafka Streams would apply. Streams'
 * and arenaflow's keys are left out.
 *
 * <p>Values may be secrets; log {@link ClientSettings#keyNames} only.
 */
public final class ReplayClientSettings {

    static final String CLIENT_ID = "arenaflow-replay";
    private static final String READ_COMMITTED = "read_committed";

    private ReplayClientSettings() {
    }

    /**
     * A consumer without a group or commits that skips aborted transactions: under exactly-once
     * the application writes dead letters in transactions.
     *
     * @param app the application's validated settings
     * @return settings for a {@code KafkaConsumer<byte[], byte[]>}
     */
    public static Map<String, Object> forConsumer(Properties app) {
        Map<String, Object> own = clientKeys(app, ConsumerConfig.configNames(), StreamsConfig.CONSUMER_PREFIX);
        own.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, CLIENT_ID);
        return ClientSettings.forConsumer(own, READ_COMMITTED);
    }

    /**
     * An idempotent producer with {@code acks=all}, whatever the application's producer uses: a
     * replay must neither lose nor duplicate a record. It writes outside any transaction.
     *
     * @param app the application's validated settings
     * @return settings for a {@code KafkaProducer<byte[], byte[]>}
     */
    public static Map<String, Object> forProducer(Properties app) {
        Map<String, Object> own = clientKeys(app, ProducerConfig.configNames(), StreamsConfig.PRODUCER_PREFIX);
        own.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        own.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, CLIENT_ID);
        Map<String, Object> config = ClientSettings.forProducer(own);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return config;
    }

    private static Map<String, Object> clientKeys(Properties app, Set<String> known, String overridePrefix) {
        Map<String, Object> own = new TreeMap<>();
        for (String key : app.stringPropertyNames()) {
            if (known.contains(key)) {
                own.put(key, app.getProperty(key));
            }
        }
        for (String key : app.stringPropertyNames()) {
            String bare = key.startsWith(overridePrefix) ? key.substring(overridePrefix.length()) : null;
            if (bare != null && known.contains(bare)) {
                own.put(bare, app.getProperty(key));
            }
        }
        return own;
    }
}
