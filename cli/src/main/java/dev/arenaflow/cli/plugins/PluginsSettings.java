package dev.arenaflow.cli.plugins;

import dev.arenaflow.cli.config.SettingsSource;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginCatalog;
import dev.arenaflow.topology.PluginSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings of the arenaflow instances an operator steers, loaded and validated exactly as
 * {@code run} loads them, so that a typo fails here as it would there; and the plugins on the
 * class path and the plugin path, which are the ones a control record may name.
 */
public final class PluginsSettings {

    private final ArenaflowSettings settings;
    private final PluginCatalog catalog;

    PluginsSettings(ArenaflowSettings settings, PluginCatalog catalog) {
        this.settings = settings;
        this.catalog = catalog;
    }

    /**
     * @param file the {@code --config} file, or null
     * @param environment the process environment, for {@code ARENAFLOW_*} overrides
     * @param plugins where the plugins are found
     * @return the validated settings
     * @throws CommandFailure with exit status 2 naming the setting that is wrong
     */
    public static PluginsSettings load(Path file, Map<String, String> environment, ClassLoader plugins) {
        try {
            // The same plugins as run finds: the class path and the configured plugin path.
            Map<Object, Object> properties = SettingsSource.load(file, environment);
            PluginCatalog catalog = PluginCatalog.load(plugins, new ArenaflowConfig(properties).pluginPath());
            return new PluginsSettings(ArenaflowSettings.validate(properties, catalog), catalog);
        } catch (ConfigException | IllegalStateException e) {
            // IllegalStateException: PluginCatalog's verdict on a plugin that breaks its naming rules.
            throw CommandFailure.usage("invalid configuration: " + e.getMessage());
        }
    }

    /** @return the validated settings */
    public ArenaflowSettings settings() {
        return settings;
    }

    /** @return arenaflow's own settings */
    public ArenaflowConfig config() {
        return settings.config();
    }

    /** @return the plugins {@code arenaflow.plugins} names, in its order */
    public List<String> configuredPlugins() {
        return settings.config().pluginNames();
    }

    /**
     * @param plugin a name given on the command line
     * @throws CommandFailure with exit status 2 naming the plugins on the class path if it is none of them
     */
    public void requireKnown(String plugin) {
        if (!catalog.names().contains(plugin)) {
            throw CommandFailure.usage("unknown plugin '" + plugin + "'; the plugins on the class path are "
                    + catalog.names());
        }
    }

    /**
     * @param plugin a plugin on the class path
     * @return whether these settings run it
     */
    public boolean isConfigured(String plugin) {
        return configuredPlugins().contains(plugin);
    }

    /**
     * @param plugin a plugin whose setting overrides are to change
     * @return its spec, with the start-up settings the overrides are checked against
     * @throws CommandFailure with exit status 2 if these settings do not run it
     */
    public PluginSpec configured(String plugin) {
        requireKnown(plugin);
        return settings.plugins().stream().filter(p -> p.name().equals(plugin)).findFirst()
                .orElseThrow(() -> CommandFailure.usage("plugin '" + plugin + "' is not in " + ArenaflowConfig.PLUGINS
                        + " " + configuredPlugins() + " of these settings, so its overrides cannot be checked "
                        + "against its start-up settings; use the settings of the application that runs it"));
    }
}
