package dev.arenaflow.topology;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The whole configuration of a running arenaflow, validated at start-up: Kafka Streams and client
 * settings, arenaflow's own, every selected plugin's, and pass-through registry settings. Any
 * unknown key, bad value or missing required setting is a {@link ConfigException} that names it.
 */
public final class ArenaflowSettings {

    private static final Pattern SENSITIVE = Pattern.compile("password|secret|jaas|token|credential|\\.key$");
    private static final Map<String, Set<String>> CLIENT_PREFIXES = Map.of(
            StreamsConfig.CONSUMER_PREFIX, ConsumerConfig.configNames(),
            StreamsConfig.MAIN_CONSUMER_PREFIX, ConsumerConfig.configNames(),
            StreamsConfig.RESTORE_CONSUMER_PREFIX, ConsumerConfig.configNames(),
            StreamsConfig.GLOBAL_CONSUMER_PREFIX, ConsumerConfig.configNames(),
            StreamsConfig.PRODUCER_PREFIX, ProducerConfig.configNames(),
            StreamsConfig.ADMIN_CLIENT_PREFIX, AdminClientConfig.configNames());
    private static final List<String> OPEN_PREFIXES = List.of(StreamsConfig.TOPIC_PREFIX,
            StreamsConfig.CLIENT_TAG_PREFIX, "apicurio.registry.");

    private final Properties properties;
    private final ArenaflowConfig config;
    private final List<PluginSpec> plugins;

    private ArenaflowSettings(Properties properties, ArenaflowConfig config, List<PluginSpec> plugins) {
        this.properties = properties;
        this.config = config;
        this.plugins = plugins;
    }

    /**
     * Finds the plugins on the application class path and in the configured
     * {@value ArenaflowConfig#PLUGIN_PATH}, then validates the settings against them.
     *
     * @param properties every setting, as read from the file and the environment
     * @param application the application's class loader, the parent of every plugin location's
     * @return the validated settings
     * @throws ConfigException naming the first key that is unknown, bad or missing, or a plugin
     *                         path entry that is missing, not a directory or not trusted
     */
    public static ArenaflowSettings validate(Map<?, ?> properties, ClassLoader application) {
        List<Path> pluginPath = new ArenaflowConfig(properties).pluginPath();
        return validate(properties, PluginCatalog.load(application, pluginPath));
    }

    /**
     * @param properties every setting, as read from the file and the environment
     * @param catalog the plugins available; loaded with the configured plugin path, if it has one
     * @return the validated settings
     * @throws ConfigException naming the first key that is unknown, bad or missing
     */
    public static ArenaflowSettings validate(Map<?, ?> properties, PluginCatalog catalog) {
        Properties copy = new Properties();
        copy.putAll(properties);
        ArenaflowConfig config = new ArenaflowConfig(copy);
        for (Map.Entry<Object, Object> entry : copy.entrySet()) {
            checkKnown(entry.getKey().toString(), entry.getValue(), config);
        }
        List<PluginSpec> plugins = catalog.select(config);
        TopicRoles.check(config, plugins);
        // Read now, so that a wrong path fails start-up naming its setting rather than a handshake later.
        dev.arenaflow.topology.tls.TlsIdentity.grpc(config);
        dev.arenaflow.topology.tls.TlsIdentity.http(config);
        new StreamsConfig(ArenaflowTopology.streamsProperties(copy));
        SnapshotSerdes.registryConfig(copy);
        return new ArenaflowSettings(copy, config, plugins);
    }

    /** @return all settings, including Kafka Streams' */
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /**
     * @param key a setting that needs no validation against plugins, e.g. {@code application.server}
     * @param value its value
     * @return these settings with that one set
     */
    public ArenaflowSettings with(String key, String value) {
        Properties copy = properties();
        copy.put(key, value);
        return new ArenaflowSettings(copy, new ArenaflowConfig(copy), plugins);
    }

    /** @return arenaflow's own settings */
    public ArenaflowConfig config() {
        return config;
    }

    /** @return the selected plugins, validated */
    public List<PluginSpec> plugins() {
        return plugins;
    }

    /**
     * @param key a setting's name
     * @param value its value
     * @return the value, or a mask if the name suggests a secret
     */
    public static String printable(String key, Object value) {
        return SENSITIVE.matcher(key.toLowerCase(Locale.ROOT)).find() ? "[hidden]" : String.valueOf(value);
    }

    /**
     * @param settings settings, e.g. a plugin's overrides
     * @return them with the values of secret-looking names masked, for a log line or a status
     */
    public static Map<String, String> printable(Map<String, ?> settings) {
        Map<String, String> shown = new java.util.TreeMap<>();
        settings.forEach((k, v) -> shown.put(k, printable(k, v)));
        return shown;
    }

    /**
     * @param message e.g. a {@link ConfigException}'s, which quotes the bad value
     * @param settings the settings it may quote
     * @return the message with the value of every secret-looking setting replaced by the mask
     */
    public static String withoutSecrets(String message, Map<String, ?> settings) {
        String text = message == null ? "" : message;
        for (Map.Entry<String, ?> e : settings.entrySet()) {
            String value = String.valueOf(e.getValue());
            if (!value.isEmpty() && !printable(e.getKey(), value).equals(value)) {
                text = text.replace(value, "[hidden]");
            }
        }
        return text;
    }

    private static void checkKnown(String key, Object value, ArenaflowConfig config) {
        if (key.startsWith("arenaflow.")) {
            require(ArenaflowConfig.definition().names().contains(key), key, value, "arenaflow has no such setting");
        } else if (key.startsWith(ArenaflowConfig.PLUGIN_PREFIX)) {
            String plugin = key.substring(ArenaflowConfig.PLUGIN_PREFIX.length()).split("\\.", 2)[0];
            require(config.pluginNames().contains(plugin), key, value,
                    "plugin '" + plugin + "' is not in " + ArenaflowConfig.PLUGINS + " " + config.pluginNames());
        } else if (OPEN_PREFIXES.stream().noneMatch(key::startsWith)) {
            require(isKafkaSetting(key), key, value, "neither Kafka Streams nor its clients have such a setting");
        }
    }

    private static boolean isKafkaSetting(String key) {
        if (StreamsConfig.configDef().names().contains(key) || ConsumerConfig.configNames().contains(key)
                || ProducerConfig.configNames().contains(key) || AdminClientConfig.configNames().contains(key)) {
            return true;
        }
        return CLIENT_PREFIXES.entrySet().stream()
                .anyMatch(e -> key.startsWith(e.getKey()) && e.getValue().contains(key.substring(e.getKey().length())));
    }

    private static void require(boolean known, String key, Object value, String why) {
        if (!known) {
            throw new ConfigException("Unknown setting " + key + "=" + printable(key, value) + ": " + why);
        }
    }
}
