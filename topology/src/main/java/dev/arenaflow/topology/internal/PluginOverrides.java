package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.PluginLimits;
import dev.arenaflow.topology.PluginSpec;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Validates an operator's setting overrides of a plugin against the plugin's own definition. */
final class PluginOverrides {

    private PluginOverrides() {
    }

    /**
     * @param spec the plugin, with its start-up settings
     * @param definition the plugin's settings
     * @param overrides settings to change, keys without the {@code plugin.<name>.} prefix
     * @return the start-up settings with the overrides, validated
     * @throws ConfigException naming the key and value that are wrong
     */
    static AbstractConfig apply(PluginSpec spec, ConfigDef definition, Map<String, String> overrides) {
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            if (PluginLimits.names().contains(o.getKey())) {
                throw new ConfigException(o.getKey(), o.getValue(), "is arenaflow's own setting for the plugin; "
                        + "it changes only with a restart");
            }
            if (!definition.names().contains(o.getKey())) {
                throw new ConfigException(o.getKey(), o.getValue(), "plugin '" + spec.name()
                        + "' has no such setting; it has: " + definition.names());
            }
        }
        Map<String, Object> merged = new HashMap<>(spec.config().originals());
        merged.putAll(overrides);
        return new AbstractConfig(definition, merged, false);
    }
}
