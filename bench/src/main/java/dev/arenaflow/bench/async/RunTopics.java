package dev.arenaflow.bench.async;

import dev.arenaflow.topology.ArenaflowConfig;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The names one arenaflow run uses, all under its own label, so runs on one broker share nothing
 * but their input: application id, topic prefixes, control and status topics.
 *
 * @param label names the run, e.g. {@code async-ordered-p1}
 */
public record RunTopics(String label) {

    /** @return the snapshot topic of a plugin */
    public String snapshots(String plugin) {
        return label + ".snapshots." + plugin;
    }

    /** @return the dead-letter topic of a plugin */
    public String deadLetters(String plugin) {
        return label + ".dlq." + plugin;
    }

    /** Puts the application id and every topic name of the run into a run's settings. */
    public void into(Map<String, String> settings) {
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + label);
        settings.putAll(ArenaflowConfig.topicsPrefixedWith(label + "."));
    }
}
