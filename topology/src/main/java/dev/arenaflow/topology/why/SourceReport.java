package dev.arenaflow.topology.why;

import java.util.List;

/**
 * What one task holds of one source: why its messages are not done.
 *
 * @param plugin the plugin
 * @param source the source
 * @param task the task holding them, e.g. {@code 1_0}
 * @param quarantined true if the source is quarantined in that task
 * @param messages its un-acknowledged messages, in input order
 */
public record SourceReport(String plugin, String source, String task, boolean quarantined,
                           List<PendingMessage> messages) {

    public SourceReport {
        messages = List.copyOf(messages);
    }
}
