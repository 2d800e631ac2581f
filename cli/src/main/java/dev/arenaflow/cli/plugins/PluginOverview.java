package dev.arenaflow.cli.plugins;

import dev.arenaflow.topology.control.PluginControl;
import java.util.List;

/**
 * What {@code plugins list} knows of one plugin: what the operators want of it and what the tasks
 * of running applications report.
 *
 * @param name the plugin's name
 * @param configured whether {@code arenaflow.plugins} of these settings names it
 * @param control its latest control record, or null if it has none (or only a tombstone)
 * @param unreadableControl why its latest control record could not be read, or null
 * @param tasks the latest status record of each task, by key
 */
public record PluginOverview(String name, boolean configured, PluginControl control, String unreadableControl,
                             List<TaskReport> tasks) {

    /** Shown when no control record says otherwise. */
    public static final String DEFAULT_STATE = "enabled (default)";

    /** @return the wanted state as shown to the operator */
    public String wanted() {
        if (unreadableControl != null) {
            return "unknown (unreadable control record)";
        }
        return control == null ? DEFAULT_STATE : control.state().text();
    }

    /** @return the state a task should apply: the control record's, or enabled by default */
    public PluginControl.State wantedState() {
        return control == null ? PluginControl.State.ENABLED : control.state();
    }
}
