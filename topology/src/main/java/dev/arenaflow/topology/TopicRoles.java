package dev.arenaflow.topology;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * Every topic arenaflow reads or writes has one role and a name Kafka accepts. Otherwise a prefix
 * setting could make one plugin's snapshots another topic's records, and a topic name that is too
 * long or has an illegal character would only fail when the topic is created or first written.
 */
final class TopicRoles {

    private static final String PLUGIN_TOPIC_SETTINGS = " and " + ArenaflowConfig.PLUGINS;

    /** Each topic's role, by its name with Kafka's colliding characters ('.' and '_') made one. */
    private final Map<String, Claim> claims = new LinkedHashMap<>();

    private record Claim(String topic, String role) {
    }

    private TopicRoles() {
    }

    /**
     * @param config arenaflow's settings
     * @param plugins the selected plugins
     * @throws ConfigException naming the topic and the settings that made it, if it is not a legal
     *                         Kafka topic name or would play two roles
     */
    static void check(ArenaflowConfig config, List<PluginSpec> plugins) {
        TopicRoles roles = new TopicRoles();
        config.inputTopics().forEach(t -> roles.claim(t, "an input topic (" + ArenaflowConfig.INPUT_TOPICS + ")"));
        roles.claim(config.decodeDeadLetterTopic(), "the decoder's dead-letter topic ("
                + ArenaflowConfig.DECODE_DLQ_TOPIC + ")");
        roles.claim(config.controlTopic(), "the control topic (" + ArenaflowConfig.CONTROL_TOPIC + ")");
        roles.claim(config.statusTopic(), "the status topic (" + ArenaflowConfig.STATUS_TOPIC + ")");
        for (PluginSpec plugin : plugins) {
            String of = "plugin '" + plugin.name() + "'s ";
            roles.claim(config.snapshotTopic(plugin.name()), of + "snapshot topic ("
                    + ArenaflowConfig.SNAPSHOT_TOPIC_PREFIX + PLUGIN_TOPIC_SETTINGS + ")");
            roles.claim(config.deadLetterTopic(plugin.name()), of + "dead-letter topic ("
                    + ArenaflowConfig.DLQ_TOPIC_PREFIX + PLUGIN_TOPIC_SETTINGS + ")");
            config.retryTopics(plugin).forEach(t -> roles.claim(t, of + "retry topic ("
                    + ArenaflowConfig.RETRY_TOPIC_PREFIX + PLUGIN_TOPIC_SETTINGS + ")"));
        }
    }

    private void claim(String topic, String role) {
        try {
            Topic.validate(topic);
        } catch (InvalidTopicException e) {
            throw new ConfigException("Topic " + topic + ", " + role + ", is not a legal Kafka topic name: "
                    + e.getMessage());
        }
        if (Topic.isInternal(topic)) {
            throw new ConfigException("Topic " + topic + ", " + role + ", is one of Kafka's own internal topics");
        }
        // Kafka refuses to create a topic whose name differs from an existing one only in '.' against '_'.
        Claim before = claims.putIfAbsent(Topic.unifyCollisionChars(topic), new Claim(topic, role));
        if (before != null && !before.role().equals(role)) {
            String same = before.topic().equals(topic) ? "Topic " + topic + " would be both "
                    : "Topics " + before.topic() + " and " + topic + " collide in Kafka ('.' and '_' count as the "
                    + "same character in topic names), so they cannot be both ";
            throw new ConfigException(same + before.role() + " and " + role
                    + ": rename the plugin or set the topic names apart (" + ArenaflowConfig.PLUGINS + ", "
                    + "arenaflow.*.topic and arenaflow.*.topic.prefix settings)");
        }
    }
}
