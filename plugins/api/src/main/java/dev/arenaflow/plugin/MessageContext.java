package dev.arenaflow.plugin;

import dev.arenaflow.schemas.SnapshotMeta;

/**
 * Where the message being handled came from, and its attempt.
 *
 * <p>Like the view, it is borrowed: valid only during the {@code handle} call that received it, on
 * that call's thread. Every method called on another thread throws {@link IllegalStateException},
 * as does a call between two {@code handle} calls, and under the strict loan guard any call after
 * the {@code handle} call returned. Copy what an async stage needs, e.g. {@link #newMeta()}, before
 * returning.
 */
public interface MessageContext {

    /** @return the plugin handling the message */
    String pluginName();

    /** @return the input topic the message was read from */
    String topic();

    /** @return the input partition */
    int partition();

    /** @return the input offset */
    long offset();

    /** @return 1 on the first try, then one more on each dispatch of the same message */
    int attempt();

    /**
     * Builds the {@code meta} field of a snapshot made from this message: plugin, source,
     * sequence, type, event time, input position and attempt.
     *
     * @return a new, owned record
     */
    SnapshotMeta newMeta();
}
