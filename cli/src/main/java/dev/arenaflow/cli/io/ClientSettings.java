package dev.arenaflow.cli.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Builds the settings of the CLI's Kafka clients: a properties file (e.g. SASL or TLS settings,
 * read like Kafka's own tools read {@code --command-config}), then {@code -X key=value}
 * overrides, then the named options such as {@code --bootstrap-server}. The result also carries
 * the {@code arenaflow.*} and {@code apicurio.registry.*} settings of the snapshot serde, which
 * {@link #forProducer} and {@link #forConsumer} leave out of the client's own settings.
 *
 * <p>Values may be secrets (passwords, JAAS configs); log {@link #keyNames} only, never values.
 */
public final class ClientSettings {

    private static final String[] SERDE_PREFIXES = {"arenaflow.", "apicurio."};

    private ClientSettings() {
    }

    /**
     * @param configFile a properties file, or null for none
     * @param overrides {@code -X} settings, applied over the file; not null
     * @param options settings from named options, applied last; null values are skipped
     * @return the merged settings, in a new mutable map
     * @throws IOException if the file cannot be read
     */
    public static Map<String, Object> load(Path configFile, Map<String, String> overrides,
                                           Map<String, String> options) throws IOException {
        Map<String, Object> settings = new TreeMap<>();
        if (configFile != null) {
            Properties file = new Properties();
            try (InputStream in = Files.newInputStream(configFile)) {
                file.load(in);
            }
            file.stringPropertyNames().forEach(name -> settings.put(name, file.getProperty(name)));
        }
        settings.putAll(overrides);
        options.forEach((name, value) -> {
            if (value != null) {
                settings.put(name, value);
            }
        });
        return settings;
    }

    /**
     * @param settings merged settings
     * @throws IllegalArgumentException if {@code bootstrap.servers} is missing or blank
     */
    public static void requireBootstrapServers(Map<String, Object> settings) {
        Object servers = settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null || servers.toString().isBlank()) {
            throw new IllegalArgumentException("--bootstrap-server is required unless "
                    + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG + " is set in --config or with -X");
        }
    }

    /**
     * The producer's settings: durable and idempotent by default (acks=all, enable.idempotence=true,
     * linger.ms=5), which the user's settings may change; byte-array serializers always.
     *
     * @param settings merged settings; not modified
     * @return new settings for a {@code KafkaProducer<byte[], byte[]>}
     */
    public static Map<String, Object> forProducer(Map<String, Object> settings) {
        Map<String, Object> config = kafkaOnly(settings);
        config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "arenaflow-produce");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    /**
     * The consumer's settings: without a group, so it commits nothing and joins nobody, and never
     * creating the topic it reads.
     *
     * @param settings merged settings; not modified
     * @param isolation {@code read_committed} or {@code read_uncommitted}
     * @return new settings for a {@code KafkaConsumer<byte[], byte[]>}
     */
    public static Map<String, Object> forConsumer(Map<String, Object> settings, String isolation) {
        Map<String, Object> config = kafkaOnly(settings);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "arenaflow-consume");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    /**
     * @param settings any settings
     * @return their names, sorted and comma-separated, for a log line; values are never included
     */
    public static String keyNames(Map<String, ?> settings) {
        return settings.keySet().stream().sorted().collect(Collectors.joining(", "));
    }

    private static Map<String, Object> kafkaOnly(Map<String, Object> settings) {
        Map<String, Object> config = new TreeMap<>(settings);
        config.keySet().removeIf(ClientSettings::isSerdeSetting);
        return config;
    }

    private static boolean isSerdeSetting(String name) {
        for (String prefix : SERDE_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
