package dev.arenaflow.cli.plugins;

import dev.arenaflow.topology.control.PluginControl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A change an operator asks of a plugin's control record, applied to the record it replaces so
 * that whatever the change does not touch (the overrides, or the state) is kept.
 */
@FunctionalInterface
public interface ControlChange {

    /**
     * @param current the plugin's control, {@link PluginControl#DEFAULT} if it has no record
     * @return the control to write, or {@code current} itself if there is nothing to change
     * @throws CommandFailure with exit status 2 if the change does not fit the current control
     */
    PluginControl applyTo(PluginControl current);

    /**
     * @param state the wanted state
     * @param stamp who, when and why; a null reason clears the reason of the earlier state
     * @return the change
     */
    static ControlChange state(PluginControl.State state, Stamp stamp) {
        return current -> current.withState(state, stamp.reason(), stamp.by(), stamp.atMs());
    }

    /**
     * Checks the keys and values at once, so that a mistake is reported before Kafka is contacted.
     *
     * @param overrides settings to override, keys without the {@code plugin.<name>.} prefix
     * @param check the plugin's definition and start-up settings
     * @param stamp who and when; a null reason keeps the current reason, which is about the state
     * @return the change
     * @throws CommandFailure with exit status 2 naming a key or value that is refused
     */
    static ControlChange set(Map<String, String> overrides, OverrideCheck check, Stamp stamp) {
        overrides.forEach((key, value) -> {
            check.checkKey(key);
            check.checkValue(key, value);
        });
        return current -> {
            Map<String, String> next = new LinkedHashMap<>(current.config());
            next.putAll(overrides);
            check.checkAll(next);
            return stamped(current, next, stamp);
        };
    }

    /**
     * A key without an override is already at its start-up value: removing it changes nothing.
     *
     * @param keys overrides to remove
     * @param check the plugin's definition and start-up settings
     * @param stamp who and when; a null reason keeps the current reason
     * @return the change
     */
    static ControlChange unset(List<String> keys, OverrideCheck check, Stamp stamp) {
        return current -> {
            Map<String, String> next = new LinkedHashMap<>(current.config());
            for (String key : keys) {
                // An override the plugin no longer defines may still be removed, so only absent keys are checked.
                if (next.remove(key) == null) {
                    check.checkKey(key);
                }
            }
            if (next.equals(current.config())) {
                return current;
            }
            check.checkAll(next);
            return stamped(current, next, stamp);
        };
    }

    private static PluginControl stamped(PluginControl current, Map<String, String> config, Stamp stamp) {
        String reason = stamp.reason() != null ? stamp.reason() : current.reason();
        return new PluginControl(current.state(), config, reason, stamp.by(), stamp.atMs());
    }
}
