package dev.arenaflow.topology;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/**
 * What a plugin may be called. A plugin's name becomes part of its topics ({@code snapshots.P},
 * {@code arenaflow.dlq.P}, {@code arenaflow.retry.P.<tier>}), its stores ({@code arena-P},
 * {@code state-P}, {@code latest-P}), the {@code arenaflow.plugin} header of its dead letters and
 * the key of its control records, so it must be usable in all of them and must not be a name
 * arenaflow already gives to something of its own.
 */
public final class PluginNames {

    /** Letters, digits, '-' and '_': legal in topic names, and no '.' so it cannot fake a tier or a prefix. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    /** Why each reserved name is reserved. */
    private static final Map<String, String> RESERVED = Map.of(DeadLetterHeaders.DECODE_PLUGIN,
            "it is arenaflow's name for its decoder: malformed records' dead letters carry arenaflow.plugin="
                    + DeadLetterHeaders.DECODE_PLUGIN + " and go to arenaflow.dlq." + DeadLetterHeaders.DECODE_PLUGIN
                    + " by default, so a plugin of that name would share both");

    /** What {@link #wellFormed} asks of a name, for messages. */
    public static final String RULE = "a name is 1 to 100 letters, digits, '-' or '_'";

    private PluginNames() {
    }

    /** @return the names no plugin may have, sorted */
    public static List<String> reserved() {
        return RESERVED.keySet().stream().sorted().toList();
    }

    /**
     * @param name a plugin's name
     * @return whether it can form topic, store and header names, whether or not it is reserved
     */
    public static boolean wellFormed(String name) {
        return name != null && WELL_FORMED.matcher(name).matches();
    }

    /**
     * @param configured the value of {@value ArenaflowConfig#PLUGINS}
     * @throws ConfigException naming {@value ArenaflowConfig#PLUGINS}, the name and why it cannot be used
     */
    public static void check(List<String> configured) {
        for (String name : configured) {
            if (!wellFormed(name)) {
                throw new ConfigException(ArenaflowConfig.PLUGINS, configured, "plugin name '" + name
                        + "' cannot be part of Kafka topic and store names: " + RULE);
            }
            String why = RESERVED.get(name);
            if (why != null) {
                throw new ConfigException(ArenaflowConfig.PLUGINS, configured, "plugin name '" + name
                        + "' is reserved: " + why + "; reserved names: " + reserved());
            }
        }
    }
}
