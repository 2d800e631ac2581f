package dev.arenaflow.cli.plugins;

import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginLimits;
import dev.arenaflow.topology.PluginSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Checks overrides of a plugin's own settings before they are written, as far as that can be done
 * without the running application: the key must be one of the plugin's {@code configDef()}, the
 * value must parse and pass its validator, and the plugin's start-up settings with all overrides
 * applied must still parse. arenaflow's own per-plugin settings ({@link PluginLimits}) shape the
 * topology and the retry topics, so they change only with a restart.
 */
public final class OverrideCheck {

    private final String plugin;
    private final ConfigDef definition;
    private final Map<String, Object> startup;

    /**
     * @param plugin the plugin's name
     * @param definition its settings' definition
     * @param startup its own settings at start-up, without the {@code plugin.<name>.} prefix
     */
    public OverrideCheck(String plugin, ConfigDef definition, Map<String, ?> startup) {
        this.plugin = plugin;
        this.definition = definition;
        this.startup = new HashMap<>(startup);
        this.startup.keySet().removeAll(PluginLimits.names());
    }

    /** @param spec a configured plugin @return a check against its definition and start-up settings */
    public static OverrideCheck of(PluginSpec spec) {
        return new OverrideCheck(spec.name(), spec.factory().get().configDef(), spec.config().originals());
    }

    /**
     * @param key a key given on the command line
     * @throws CommandFailure with exit status 2 if it cannot be overridden at runtime
     */
    public void checkKey(String key) {
        String prefix = ArenaflowConfig.PLUGIN_PREFIX + plugin + ".";
        if (key.startsWith(prefix)) {
            throw CommandFailure.usage("give the key without the " + prefix + " prefix: "
                    + key.substring(prefix.length()));
        }
        if (PluginLimits.names().contains(key)) {
            throw CommandFailure.usage(key + " is arenaflow's own setting for every plugin and is read only at "
                    + "start-up; set " + prefix + key + " in the settings and restart the application");
        }
        if (!definition.names().contains(key)) {
            throw CommandFailure.usage("plugin '" + plugin + "' has no setting " + key + (definition.names().isEmpty()
                    ? "; it has no settings of its own" : "; its settings are " + new TreeSet<>(definition.names())));
        }
    }

    /**
     * @param key one of the plugin's settings, checked with {@link #checkKey}
     * @param value a value given on the command line
     * @throws CommandFailure with exit status 2 naming the key and the value if the value is invalid
     */
    public void checkValue(String key, String value) {
        ConfigDef.ConfigKey setting = definition.configKeys().get(key);
        try {
            Object parsed = ConfigDef.parseType(key, value, setting.type);
            if (setting.validator != null) {
                setting.validator.ensureValid(key, parsed);
            }
        } catch (ConfigException e) {
            throw CommandFailure.usage("invalid value " + shown(key, value) + " for setting " + key + " of plugin '"
                    + plugin + "': " + hidden(e.getMessage(), key, value));
        }
    }

    /**
     * @param overrides every override the control record will hold
     * @throws CommandFailure with exit status 2 if the start-up settings with them applied do not parse
     */
    public void checkAll(Map<String, String> overrides) {
        Map<String, Object> merged = new HashMap<>(startup);
        merged.putAll(overrides);
        try {
            new AbstractConfig(definition, merged, false);
        } catch (ConfigException e) {
            throw CommandFailure.usage("the settings of plugin '" + plugin + "' with overrides " + shown(overrides)
                    + " are invalid: " + hiddenAll(e.getMessage(), merged));
        }
    }

    private static String shown(String key, String value) {
        return "'" + ArenaflowSettings.printable(key, value) + "'";
    }

    private static String shown(Map<String, String> overrides) {
        Map<String, String> shown = new TreeMap<>();
        overrides.forEach((k, v) -> shown.put(k, ArenaflowSettings.printable(k, v)));
        return shown.toString();
    }

    /** Kafka's messages repeat the value; a secret-looking one must not reach the terminal. */
    private static String hidden(String message, String key, Object value) {
        String text = String.valueOf(value);
        boolean secret = !ArenaflowSettings.printable(key, value).equals(text);
        return secret && !text.isEmpty() ? message.replace(text, "[hidden]") : message;
    }

    private static String hiddenAll(String message, Map<String, Object> settings) {
        String text = message;
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            text = hidden(text, e.getKey(), e.getValue());
        }
        return text;
    }
}
