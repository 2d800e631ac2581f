package dev.arenaflow.topology;

import dev.arenaflow.plugin.Plugin;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * A plugin selected to run, with its validated configuration.
 *
 * @param name the plugin's name
 * @param factory makes a new instance for each stream task
 * @param acceptedTypes accepted message types; empty means all
 * @param keepsState whether it gets a {@code state-<name>} store
 * @param config its validated configuration
 * @param limits arenaflow's settings for it
 */
public record PluginSpec(String name, Supplier<Plugin> factory, Set<Integer> acceptedTypes, boolean keepsState,
                         AbstractConfig config, PluginLimits limits) {

    /**
     * @param type a message type
     * @return whether this plugin takes messages of that type
     */
    public boolean accepts(int type) {
        return acceptedTypes.isEmpty() || acceptedTypes.contains(type);
    }
}
