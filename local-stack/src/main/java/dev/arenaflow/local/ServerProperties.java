package dev.arenaflow.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code server.properties} of a single-node KRaft cluster: one broker that is also its own
 * controller, or, with {@link KafkaOptions#separateController()}, a broker and a controller file.
 */
final class ServerProperties {

    /** The broker's node id; a separate controller takes the next one. */
    static final int BROKER_NODE_ID = 1;
    static final int CONTROLLER_NODE_ID = 2;

    private ServerProperties() {
    }

    /** The file's text, with {@code options.extraConfig()} applied last. */
    static String render(int brokerPort, int controllerPort, Path dataDir, KafkaOptions options) {
        return render(brokerPort, controllerPort, dataDir, options, null, 0);
    }

    /**
     * The file's text with a {@code SASL_SSL} listener on {@code securePort} beside the others, if
     * {@code secure} is not null; {@code options.extraConfig()} is applied last.
     */
    static String render(int brokerPort, int controllerPort, Path dataDir, KafkaOptions options,
                         SecureListener secure, int securePort) {
        Map<String, String> config = defaults(brokerPort, controllerPort, dataDir, options);
        if (secure != null) {
            addSecureListener(config, secure, securePort);
        }
        config.putAll(options.extraConfig());
        return text(config);
    }

    /**
     * The controller's file when it runs apart from the broker. The broker's extra settings are not
     * applied: they are broker settings, which a controller rejects or ignores.
     */
    static String renderController(int controllerPort, Path dataDir) {
        String controller = "127.0.0.1:" + controllerPort;
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "controller");
        config.put("node.id", Integer.toString(CONTROLLER_NODE_ID));
        config.put("controller.quorum.bootstrap.servers", controller);
        config.put("listeners", "CONTROLLER://" + controller);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("log.dirs", dataDir.toAbsolutePath().toString());
        return text(config);
    }

    private static String text(Map<String, String> config) {
        return config.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + escape(entry.getValue()))
                .collect(Collectors.joining("\n", "# Written by arenaflow's LocalKafka; rewritten on every start.\n",
                        "\n"));
    }

    static Map<String, String> defaults(int brokerPort, int controllerPort, Path dataDir, KafkaOptions options) {
        String broker = "127.0.0.1:" + brokerPort;
        String controller = "127.0.0.1:" + controllerPort;
        boolean combined = !options.separateController();
        String listeners = "PLAINTEXT://" + broker + (combined ? ",CONTROLLER://" + controller : "");
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", combined ? "broker,controller" : "broker");
        config.put("node.id", Integer.toString(BROKER_NODE_ID));
        config.put("controller.quorum.bootstrap.servers", controller);
        config.put("listeners", listeners);
        config.put("advertised.listeners", listeners);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", dataDir.toAbsolutePath().toString());
        config.put("num.partitions", Integer.toString(options.defaultPartitions()));
        // Topics are the application's contract; a typo in a topic name must fail, not create one.
        config.put("auto.create.topics.enable", "false");
        // One node: the internal topics cannot have more replicas than that.
        config.put("offsets.topic.replication.factor", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        // The 3 s default delays every consumer group and Streams start for no benefit with one node.
        config.put("group.initial.rebalance.delay.ms", "0");
        return config;
    }

    private static void addSecureListener(Map<String, String> config, SecureListener secure, int port) {
        String listener = SecureListener.NAME + "://127.0.0.1:" + port;
        config.put("listeners", config.get("listeners") + "," + listener);
        config.put("advertised.listeners", config.get("advertised.listeners") + "," + listener);
        // Brokers and the controller keep talking PLAINTEXT among themselves; only clients need the secure one.
        config.put("listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT," + SecureListener.NAME + ":" + SecureListener.NAME);
        config.putAll(secure.brokerSettings());
    }

    /** Escapes what {@link java.util.Properties#load} would otherwise read as an escape. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }
}
