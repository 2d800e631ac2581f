package dev.arenaflow.topology.internal;

/**
 * The names of one plugin's nodes and stores in the topology, and the limits its output obeys.
 *
 * @param processor the plugin's processor node
 * @param snapshotSink sink of its snapshot topic
 * @param deadLetterSink sink of its dead-letter topic
 * @param arenaStore its arena
 * @param stateStore its own keyed state
 * @param errorMessageMaxChars limit of the error message header
 */
public record PluginNodes(String processor, String snapshotSink, String deadLetterSink, String arenaStore,
                          String stateStore, int errorMessageMaxChars) {

    /**
     * @param plugin a plugin name
     * @param errorMessageMaxChars limit of the error message header
     * @return the names arenaflow gives that plugin's nodes and stores
     */
    public static PluginNodes of(String plugin, int errorMessageMaxChars) {
        return new PluginNodes("plugin-" + plugin, "snapshots-" + plugin, "dlq-" + plugin, "arena-" + plugin,
                "state-" + plugin, errorMessageMaxChars);
    }
}
