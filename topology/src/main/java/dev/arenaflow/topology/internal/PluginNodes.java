package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.DeadLetterLimit;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The names of one plugin's nodes, stores and retry topics in the topology, and the limits its
 * output obeys.
 *
 * @param processor the plugin's processor node
 * @param snapshotSink sink of its snapshot topic
 * @param deadLetterSink sink of its dead-letter topic
 * @param retrySink sink of its retry topics
 * @param retrySource source of its retry topics
 * @param arenaStore its arena
 * @param stateStore its own keyed state
 * @param retryTopics its retry topic of each tier
 * @param inputTopics the application's input topics, where every message it retries came from
 * @param errorMessageMaxChars limit of the error message header
 * @param deadLetterLimit the largest dead letter or retry record it sends with its value
 */
public record PluginNodes(String processor, String snapshotSink, String deadLetterSink, String retrySink,
                          String retrySource, String arenaStore, String stateStore, Map<Duration, String> retryTopics,
                          Set<String> inputTopics, int errorMessageMaxChars, DeadLetterLimit deadLetterLimit) {

    /** The global store of control records, shared by all plugins. */
    public static final String CONTROL_STORE = "arenaflow-control";
    /** The sink of the control topic, shared by all plugins: circuit breakers write to it. */
    public static final String CONTROL_SINK = "control";
    /** The sink of the status topic, shared by all plugins. */
    public static final String STATUS_SINK = "status";

    public PluginNodes {
        retryTopics = Map.copyOf(retryTopics);
        inputTopics = Set.copyOf(inputTopics);
    }

    /**
     * @param plugin a plugin name
     * @param retryTopics its retry topic of each tier
     * @param inputTopics the application's input topics
     * @param errorMessageMaxChars limit of the error message header
     * @return the names arenaflow gives that plugin's nodes and stores
     */
    public static PluginNodes of(String plugin, Map<Duration, String> retryTopics, Set<String> inputTopics,
                                 int errorMessageMaxChars) {
        return of(plugin, retryTopics, inputTopics, errorMessageMaxChars, new DeadLetterLimit(Integer.MAX_VALUE));
    }

    /**
     * @param plugin a plugin name
     * @param retryTopics its retry topic of each tier
     * @param inputTopics the application's input topics
     * @param errorMessageMaxChars limit of the error message header
     * @param deadLetterLimit the largest dead letter or retry record sent with its value
     * @return the names arenaflow gives that plugin's nodes and stores
     */
    public static PluginNodes of(String plugin, Map<Duration, String> retryTopics, Set<String> inputTopics,
                                 int errorMessageMaxChars, DeadLetterLimit deadLetterLimit) {
        return new PluginNodes("plugin-" + plugin, "snapshots-" + plugin, "dlq-" + plugin, "retry-" + plugin,
                "retries-" + plugin, "arena-" + plugin, "state-" + plugin, retryTopics, inputTopics,
                errorMessageMaxChars, deadLetterLimit);
    }

    public String controlSink() {
        return CONTROL_SINK;
    }

    public String statusSink() {
        return STATUS_SINK;
    }

    /** @return the plugin's retry topics */
    public Set<String> retryTopicNames() {
        return Set.copyOf(retryTopics.values());
    }
}
