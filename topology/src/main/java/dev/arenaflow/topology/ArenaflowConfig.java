package dev.arenaflow.topology;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigException;
import dev.arenaflow.plugin.internal.LoanGuard;
import dev.arenaflow.record.RawRecordFormat;

/**
 * arenaflow's own settings, validated at start-up like every Kafka setting. They sit in the same
 * properties as the Kafka Streams settings; a plugin's settings are {@code plugin.<name>.<key>}.
 */
public final class ArenaflowConfig extends AbstractConfig {

    public static final String INPUT_TOPICS = "arenaflow.input.topics";
    public static final String PLUGINS = "arenaflow.plugins";
    public static final String PLUGIN_PATH = "arenaflow.plugin.path";
    public static final String SNAPSHOT_TOPIC_PREFIX = "arenaflow.snapshot.topic.prefix";
    public static final String DLQ_TOPIC_PREFIX = "arenaflow.dlq.topic.prefix";
    public static final String DECODE_DLQ_TOPIC = "arenaflow.dlq.decode.topic";
    public static final String RETRY_TOPIC_PREFIX = "arenaflow.retry.topic.prefix";
    public static final String CONTROL_TOPIC = "arenaflow.control.topic";
    public static final String STATUS_TOPIC = "arenaflow.status.topic";
    public static final String MAX_PAYLOAD_BYTES = "arenaflow.max.payload.bytes";
    public static final String LOAN_GUARD = "arenaflow.loan.guard";
    public static final String ERROR_MESSAGE_MAX_CHARS = "arenaflow.error.message.max.chars";
    public static final String REGISTRY_URL = "arenaflow.registry.url";
    public static final String STARTUP_WAIT_MS = "arenaflow.startup.wait.ms";
    public static final String HANGING_TRANSACTION_AFTER_MS = "arenaflow.transactions.hanging.after.ms";
    public static final String REGISTRY_TIMEOUT_MS = "arenaflow.registry.timeout.ms";
    /** Default of {@link #REGISTRY_TIMEOUT_MS}. */
    public static final long REGISTRY_TIMEOUT_MS_DEFAULT = 30_000L;
    /** Largest value of {@link #REGISTRY_TIMEOUT_MS}: ten minutes. */
    public static final long REGISTRY_TIMEOUT_MS_MAX = 600_000L;
    public static final String GRPC_PORT = "arenaflow.grpc.port";
    public static final String GRPC_HOST = "arenaflow.grpc.host";
    public static final String GRPC_ADVERTISED_HOST = "arenaflow.grpc.advertised.host";
    public static final String GRPC_MAX_SUBSCRIBERS = "arenaflow.grpc.max.subscribers";
    public static final String GRPC_SUBSCRIBER_BUFFER = "arenaflow.grpc.subscriber.buffer";
    public static final String GRPC_SUBSCRIBER_STALL_MS = "arenaflow.grpc.subscriber.stall.ms";
    public static final String GRPC_FORWARD_TIMEOUT_MS = "arenaflow.grpc.forward.timeout.ms";
    /** The value of {@link #GRPC_PORT} that turns the API layer off. */
    public static final int GRPC_OFF = -1;
    public static final String HTTP_PORT = "arenaflow.http.port";
    public static final String HTTP_BIND_ADDRESS = "arenaflow.http.bind.address";
    public static final String GRPC_TLS_CERT_FILE = "arenaflow.grpc.tls.cert.file";
    public static final String GRPC_TLS_KEY_FILE = "arenaflow.grpc.tls.key.file";
    public static final String GRPC_TOKEN = "arenaflow.grpc.token";
    public static final String HTTP_TLS_CERT_FILE = "arenaflow.http.tls.cert.file";
    public static final String HTTP_TLS_KEY_FILE = "arenaflow.http.tls.key.file";
    public static final String HTTP_TOKEN = "arenaflow.http.token";
    public static final String HTTP_OPEN_PATHS = "arenaflow.http.open.paths";

    /** The operations endpoint's port when none is set; {@code -1} turns the endpoint off. */
    public static final int DEFAULT_HTTP_PORT = 8080;

    /** Prefix of every plugin's own settings, followed by the plugin's name and a dot. */
    public static final String PLUGIN_PREFIX = "plugin.";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(INPUT_TOPICS, Type.LIST, List.of("raw-events"), nonEmptyList(), Importance.HIGH,
                    "Topics holding Raw Record v1 values.")
            .define(PLUGINS, Type.LIST, List.of("session"), nonEmptyList(), Importance.HIGH,
                    "Names of the plugins to run, each found with ServiceLoader on the class path or in "
                            + PLUGIN_PATH + ".")
            .define(PLUGIN_PATH, Type.LIST, List.of(), noBlankEntries(), Importance.MEDIUM,
                    "Directories of plugin jars. Each jar directly in such a directory, and each folder directly in "
                            + "it (all its jars together), is one plugin with its own class loader, so plugins may "
                            + "ship conflicting versions of a library. Only these directories are trusted; each must "
                            + "exist. A new plugin is picked up at the next start.")
            .define(SNAPSHOT_TOPIC_PREFIX, Type.STRING, "snapshots.", new NonEmptyString(), Importance.MEDIUM,
                    "Snapshots of plugin P go to this prefix followed by P.")
            .define(DLQ_TOPIC_PREFIX, Type.STRING, "arenaflow.dlq.", new NonEmptyString(), Importance.MEDIUM,
                    "Dead letters of plugin P go to this prefix followed by P.")
            .define(RETRY_TOPIC_PREFIX, Type.STRING, "arenaflow.retry.", new NonEmptyString(), Importance.MEDIUM,
                    "Retries of plugin P wait in topics named this prefix, P, a dot and the tier's delay, e.g. "
                            + "arenaflow.retry.enrich.5s.")
            .define(CONTROL_TOPIC, Type.STRING, "arenaflow.control", new NonEmptyString(), Importance.MEDIUM,
                    "Compacted topic of control records, keyed by plugin name: each plugin's wanted state "
                            + "(enabled, disabled, paused) and setting overrides, applied at runtime.")
            .define(STATUS_TOPIC, Type.STRING, "arenaflow.status", new NonEmptyString(), Importance.LOW,
                    "Compacted topic where each task reports the state it applies to each plugin, and problems "
                            + "(a rejected config, a tripped circuit breaker).")
            .define(DECODE_DLQ_TOPIC, Type.STRING, "arenaflow.dlq.decode", new NonEmptyString(), Importance.MEDIUM,
                    "Malformed input records go to this topic, unchanged, with the decode error in headers.")
            .define(MAX_PAYLOAD_BYTES, Type.INT, RawRecordFormat.DEFAULT_MAX_PAYLOAD_LENGTH, Range.atLeast(1),
                    Importance.MEDIUM, "Largest payload accepted; a larger one is a PAYLOAD_TOO_LARGE decode error.")
            .define(LOAN_GUARD, Type.STRING, LoanGuard.THREAD.configValue(),
                    ConfigDef.CaseInsensitiveValidString.in("thread", "strict"), Importance.LOW,
                    "How a plugin's use of its borrowed view or message context after its call is caught. thread "
                            + "(no cost): any use on another thread, and any use between two calls; strict (two small "
                            + "objects per message): every later use, also a reference kept into a later call.")
            .define(ERROR_MESSAGE_MAX_CHARS, Type.INT, 1000, Range.between(16, 100_000), Importance.LOW,
                    "Error messages in dead-letter headers are cut to this many characters.")
            .define(REGISTRY_URL, Type.STRING, null, Importance.HIGH,
                    "Schema registry URL for snapshot schemas, e.g. http://host:8080/apis/registry/v2.")
            .define(REGISTRY_TIMEOUT_MS, Type.LONG, REGISTRY_TIMEOUT_MS_DEFAULT,
                    Range.between(1L, REGISTRY_TIMEOUT_MS_MAX), Importance.MEDIUM, "Longest wait for one call to the schema registry; a call not answered by "
                            + "then fails as if the registry had refused the connection, so a registry that accepts "
                            + "connections but never answers is an outage to wait out, not a stream thread blocked "
                            + "for good.")
            .define(STARTUP_WAIT_MS, Type.LONG, 60_000L, Range.atLeast(0), Importance.MEDIUM,
                    "At start-up, how long to wait for a broker at bootstrap.servers and then for the schema "
                            + "registry to answer before giving up (run exits with 4 or 5).")
            .define(HANGING_TRANSACTION_AFTER_MS, Type.LONG, 900_000L, Range.atLeast(0), Importance.LOW,
                    "Under exactly_once_v2, a transaction open on a partition this application writes with no "
                            + "write for longer than this is reported as hanging (a warning with the command that "
                            + "aborts it, and the gauge arenaflow_transactions_hanging); 0 turns the check off. "
                            + "The default is the broker's default transaction.max.timeout.ms, which no "
                            + "transaction may outlive.")
            .define(GRPC_PORT, Type.INT, 9090, Range.between(GRPC_OFF, 65_535), Importance.HIGH,
                    "Port of the gRPC API (arenaflow.v1.SnapshotService, health, reflection); -1 turns the API "
                            + "off, and with it the latest-snapshot stores; 0 picks a free port.")
            .define(GRPC_HOST, Type.STRING, "0.0.0.0", new NonEmptyString(), Importance.MEDIUM,
                    "Address the gRPC API binds to.")
            .define(GRPC_ADVERTISED_HOST, Type.STRING, "", Importance.MEDIUM,
                    "Host name other instances use to forward requests here; it becomes the host of "
                            + "application.server unless that is set. Empty: " + GRPC_HOST
                            + ", or this machine's name when that is a wildcard address.")
            .define(GRPC_MAX_SUBSCRIBERS, Type.INT, 100, Range.atLeast(1), Importance.MEDIUM,
                    "Subscribe streams served at once by this instance; one more is refused with "
                            + "RESOURCE_EXHAUSTED.")
            .define(GRPC_SUBSCRIBER_BUFFER, Type.INT, 1000, Range.atLeast(1), Importance.MEDIUM,
                    "Snapshots buffered per subscriber that has not yet taken them. A live subscriber whose "
                            + "buffer is full is ended with RESOURCE_EXHAUSTED and a token to resume from.")
            .define(GRPC_SUBSCRIBER_STALL_MS, Type.LONG, 30_000L, Range.atLeast(100), Importance.LOW,
                    "A subscriber catching up from an earlier position waits for a full buffer to drain, but "
                            + "not longer than this without the client taking a snapshot; then it is ended with "
                            + "RESOURCE_EXHAUSTED and a token to resume from.")
            .define(GRPC_FORWARD_TIMEOUT_MS, Type.LONG, 5_000L, Range.atLeast(1), Importance.LOW,
                    "Longest wait for the owning instance when a GetLatest request is forwarded, and for each "
                            + "other instance when a Why request is, within the client's own deadline.")
            .define(HTTP_PORT, Type.INT, DEFAULT_HTTP_PORT, Range.between(-1, 65535), Importance.MEDIUM,
                    "Port of the operations endpoint (/metrics, /health/live, /health/ready, /api/status and the "
                            + "status page). 0 picks a free port; -1 turns the endpoint off.")
            .define(HTTP_BIND_ADDRESS, Type.STRING, "0.0.0.0", new NonEmptyString(), Importance.MEDIUM,
                    "Address the operations endpoint listens on. The default, all interfaces, lets Prometheus and "
                            + "Kubernetes probes reach it in a container; set 127.0.0.1 to keep it on the host.")
            .define(GRPC_TLS_CERT_FILE, Type.STRING, "", Importance.MEDIUM,
                    "PEM file of the gRPC API's certificate chain; with " + GRPC_TLS_KEY_FILE + " it turns TLS on. "
                            + "Instances forwarding to each other trust the certificates in this file.")
            .define(GRPC_TLS_KEY_FILE, Type.STRING, "", Importance.MEDIUM,
                    "PEM file of the gRPC API's private key (PKCS#8, unencrypted).")
            .define(GRPC_TOKEN, Type.PASSWORD, null, Importance.MEDIUM,
                    "Bearer token every SnapshotService and reflection call must carry (authorization: Bearer "
                            + "<token>); otherwise UNAUTHENTICATED. The health service stays open for probes. "
                            + "Unset: no token needed.")
            .define(HTTP_TLS_CERT_FILE, Type.STRING, "", Importance.MEDIUM,
                    "PEM file of the operations endpoint's certificate chain; with " + HTTP_TLS_KEY_FILE
                            + " it serves HTTPS instead of HTTP.")
            .define(HTTP_TLS_KEY_FILE, Type.STRING, "", Importance.MEDIUM,
                    "PEM file of the operations endpoint's private key (PKCS#8, unencrypted).")
            .define(HTTP_TOKEN, Type.PASSWORD, null, Importance.MEDIUM,
                    "Bearer token every request must carry (Authorization: Bearer <token>), except to "
                            + HTTP_OPEN_PATHS + "; otherwise 401. Unset: no token needed.")
            .define(HTTP_OPEN_PATHS, Type.LIST, List.of("/health/live", "/health/ready", "/metrics"),
                    absolutePaths(), Importance.LOW,
                    "Paths answered without " + HTTP_TOKEN + ", so Kubernetes probes and Prometheus need no "
                            + "token; empty guards every path.");

    public ArenaflowConfig(Map<?, ?> properties) {
        super(DEFINITION, properties, false);
    }

    /**
     * Settings that name every topic arenaflow writes or reads, input topics aside, after one
     * prefix: {@code <prefix>snapshots.P}, {@code <prefix>dlq.P}, {@code <prefix>dlq.decode},
     * {@code <prefix>retry.P.<tier>}, {@code <prefix>control} and {@code <prefix>status}. Two
     * applications on one cluster need this, since they read their retry and control topics.
     *
     * @param prefix e.g. {@code "orders."}
     * @return the settings, to put beside the others
     */
    public static Map<String, String> topicsPrefixedWith(String prefix) {
        return Map.of(SNAPSHOT_TOPIC_PREFIX, prefix + "snapshots.", DLQ_TOPIC_PREFIX, prefix + "dlq.",
                DECODE_DLQ_TOPIC, prefix + "dlq.decode", RETRY_TOPIC_PREFIX, prefix + "retry.",
                CONTROL_TOPIC, prefix + "control", STATUS_TOPIC, prefix + "status");
    }

    /** @return the definition, for documentation and validation */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
    }

    /** @return how long start-up waits for each of the broker and the registry */
    public java.time.Duration startupWait() {
        return java.time.Duration.ofMillis(getLong(STARTUP_WAIT_MS));
    }

    public List<String> inputTopics() {
        return getList(INPUT_TOPICS);
    }

    public List<String> pluginNames() {
        return getList(PLUGINS);
    }

    /** @return the directories to look for plugin jars in; empty by default */
    public List<Path> pluginPath() {
        return getList(PLUGIN_PATH).stream().map(Path::of).toList();
    }

    public String snapshotTopic(String plugin) {
        return getString(SNAPSHOT_TOPIC_PREFIX) + plugin;
    }

    public String deadLetterTopic(String plugin) {
        return getString(DLQ_TOPIC_PREFIX) + plugin;
    }

    /**
     * @param plugin a plugin name
     * @param tier one of its retry tiers
     * @return the retry topic of that tier
     */
    public String retryTopic(String plugin, java.time.Duration tier) {
        return getString(RETRY_TOPIC_PREFIX) + plugin + "." + RetryPolicy.tierName(tier);
    }

    /**
     * @param plugin a plugin
     * @return its retry topics, shortest tier first
     */
    public List<String> retryTopics(PluginSpec plugin) {
        return plugin.limits().retry().tiers().stream().map(t -> retryTopic(plugin.name(), t)).toList();
    }

    public String controlTopic() {
        return getString(CONTROL_TOPIC);
    }

    public String statusTopic() {
        return getString(STATUS_TOPIC);
    }

    public String decodeDeadLetterTopic() {
        return getString(DECODE_DLQ_TOPIC);
    }

    public int maxPayloadBytes() {
        return getInt(MAX_PAYLOAD_BYTES);
    }

    /** @return how plugins' borrowed views and contexts are guarded */
    public LoanGuard loanGuard() {
        return LoanGuard.parse(getString(LOAN_GUARD));
    }

    /** @return the operations endpoint's port: 0 for any free port, -1 for none */
    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    /** @return the address the operations endpoint listens on */
    public String httpBindAddress() {
        return getString(HTTP_BIND_ADDRESS);
    }

    public int errorMessageMaxChars() {
        return getInt(ERROR_MESSAGE_MAX_CHARS);
    }

    /** @return true unless {@value #GRPC_PORT} is {@value #GRPC_OFF} */
    public boolean apiEnabled() {
        return getInt(GRPC_PORT) != GRPC_OFF;
    }

    /**
     * @param plugin a plugin name
     * @return the store holding the latest snapshot of each source of that plugin
     */
    public static String latestStore(String plugin) {
        return "latest-" + plugin;
    }

    /** @return the {@code plugin.<name>.*} settings, without that prefix */
    public Map<String, Object> pluginSettings(String plugin) {
        return originalsWithPrefix(PLUGIN_PREFIX + plugin + ".");
    }

    /** @return the gRPC API's bearer token, or null if none is needed */
    public String grpcToken() {
        org.apache.kafka.common.config.types.Password token = getPassword(GRPC_TOKEN);
        return token == null || token.value().isEmpty() ? null : token.value();
    }

    /** @return the operations endpoint's bearer token, or null if none is needed */
    public String httpToken() {
        org.apache.kafka.common.config.types.Password token = getPassword(HTTP_TOKEN);
        return token == null || token.value().isEmpty() ? null : token.value();
    }

    /** @return the paths of the operations endpoint answered without its token */
    public List<String> httpOpenPaths() {
        return getList(HTTP_OPEN_PATHS);
    }

    private static ConfigDef.Validator absolutePaths() {
        return (name, value) -> {
            List<?> list = (List<?>) value;
            if (list != null && list.stream().anyMatch(v -> !v.toString().startsWith("/"))) {
                throw new ConfigException(name, value, "every entry must be a path starting with /");
            }
        };
    }

    private static ConfigDef.Validator noBlankEntries() {
        return (name, value) -> {
            List<?> list = (List<?>) value;
            if (list != null && list.stream().anyMatch(v -> v.toString().isBlank())) {
                throw new ConfigException(name, value, "has an empty entry");
            }
        };
    }

    private static ConfigDef.Validator nonEmptyList() {
        return (name, value) -> {
            List<?> list = (List<?>) value;
            if (list == null || list.isEmpty() || list.stream().anyMatch(v -> v.toString().isBlank())) {
                throw new ConfigException(name, value, "must be a non-empty list of non-empty names");
            }
        };
    }
}
