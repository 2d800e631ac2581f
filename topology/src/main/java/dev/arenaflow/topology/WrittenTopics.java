package dev.arenaflow.topology;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The topics an application writes: its snapshot, dead-letter, retry and status topics, and the
 * internal topics Kafka Streams names after its {@code application.id} (changelogs, repartition).
 */
final class WrittenTopics {

    private WrittenTopics() {
    }

    static Predicate<String> of(ArenaflowSettings settings, String applicationId) {
        ArenaflowConfig config = settings.config();
        Set<String> named = new HashSet<>();
        named.add(config.decodeDeadLetterTopic());
        named.add(config.statusTopic());
        for (PluginSpec plugin : settings.plugins()) {
            named.add(config.snapshotTopic(plugin.name()));
            named.add(config.deadLetterTopic(plugin.name()));
            named.addAll(config.retryTopics(plugin));
        }
        String internalPrefix = applicationId + "-";
        return topic -> named.contains(topic) || topic.startsWith(internalPrefix);
    }
}
