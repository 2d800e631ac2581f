package dev.arenaflow.cli.plugins;

import dev.arenaflow.topology.control.PluginStatus;

/**
 * The latest status record of one task for one plugin, or why it could not be read.
 *
 * @param key the record's key, {@code <plugin>/<application.id>/<task>}
 * @param status what the task reported, or null if the value is unreadable
 * @param unreadable why the value could not be read, or null
 */
public record TaskReport(String key, PluginStatus status, String unreadable) {

    /** @param record a status record @return its report */
    static TaskReport of(KeyedRecord record) {
        try {
            return new TaskReport(record.key(), PluginStatus.fromJson(record.value()), null);
        } catch (IllegalArgumentException e) {
            return new TaskReport(record.key(), null, e.getMessage() + " (" + record.position() + ")");
        }
    }

    /** @return the plugin it is about: the value's, or the key's first part if the value is unreadable */
    String plugin() {
        return status != null ? status.plugin() : key.split("/", 2)[0];
    }
}
