package dev.arenaflow.topology;

import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.topology.internal.ContextLoader;
import dev.arenaflow.topology.internal.PluginFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * The plugins found with {@link ServiceLoader}, by name: on the application class path, and in
 * each location of {@code arenaflow.plugin.path}, each through its own class loader.
 */
public final class PluginCatalog {

    private static final int MAX_TYPE = 0xFFFF;

    private final Map<String, ServiceLoader.Provider<Plugin>> providers;

    private PluginCatalog(Map<String, ServiceLoader.Provider<Plugin>> providers) {
        this.providers = providers;
    }

    /**
     * Finds every plugin visible to a class loader.
     *
     * @param loader where to look
     * @return the catalog
     * @throws IllegalStateException if two plugins share a name or a name is not usable in topic names
     */
    public static PluginCatalog load(ClassLoader loader) {
        return load(loader, List.of());
    }

    /**
     * Finds every plugin visible to a class loader and every plugin in the plugin path's locations.
     * The class loaders of locations that hold a plugin stay open for the life of the process.
     *
     * @param parent the application's class loader: where to look first, and the parent of each location's loader
     * @param pluginPath the directories of {@code arenaflow.plugin.path}; may be empty
     * @return the catalog
     * @throws ConfigException naming a plugin path entry that is missing, not a directory or not trusted
     * @throws IllegalStateException if two plugins share a name, naming both classes and where they
     *                               came from, or a name is not usable in topic names
     */
    public static PluginCatalog load(ClassLoader parent, List<Path> pluginPath) {
        return new PluginCatalog(PluginFinder.find(parent, pluginPath));
    }

    /** @return the names of the plugins found, sorted */
    public Set<String> names() {
        return providers.keySet();
    }

    /**
     * Selects the plugins the configuration names and validates their settings.
     *
     * @param config arenaflow's configuration
     * @return one spec per selected plugin, in the configured order
     * @throws ConfigException naming the key and value that are wrong, among them a name that is
     *                         reserved or cannot be part of a topic name ({@link PluginNames})
     */
    public List<PluginSpec> select(ArenaflowConfig config) {
        PluginNames.check(config.pluginNames());
        List<PluginSpec> specs = new ArrayList<>();
        for (String name : config.pluginNames()) {
            if (specs.stream().anyMatch(s -> s.name().equals(name))) {
                throw new ConfigException(ArenaflowConfig.PLUGINS, config.pluginNames(), "names plugin '" + name + "' twice");
            }
            specs.add(spec(name, config.pluginSettings(name)));
        }
        return specs;
    }

    @SuppressWarnings("try")
    private PluginSpec spec(String name, Map<String, Object> settings) {
        ServiceLoader.Provider<Plugin> provider = providers.get(name);
        if (provider == null) {
            throw new ConfigException(ArenaflowConfig.PLUGINS, name, "no such plugin; found: " + names());
        }
        // Parsing runs the plugin's own code and may resolve CLASS settings through the context loader.
        try (ContextLoader swap = ContextLoader.swap(provider.type().getClassLoader())) {
            return spec(name, provider, settings);
        }
    }

    private PluginSpec spec(String name, ServiceLoader.Provider<Plugin> provider, Map<String, Object> settings) {
        Plugin probe = provider.get();
        Set<String> reserved = probe.configDef().names().stream().filter(PluginLimits.names()::contains)
                .collect(java.util.stream.Collectors.toSet());
        if (!reserved.isEmpty()) {
            throw new IllegalStateException("plugin '" + name + "' defines settings " + reserved
                    + " that arenaflow reserves for itself: " + PluginLimits.names());
        }
        Map<String, Object> own = new java.util.HashMap<>(settings);
        own.keySet().removeAll(PluginLimits.names());
        for (Map.Entry<String, Object> setting : own.entrySet()) {
            if (!probe.configDef().names().contains(setting.getKey())) {
                throw new ConfigException(ArenaflowConfig.PLUGIN_PREFIX + name + "." + setting.getKey(), setting.getValue(),
                        "plugin '" + name + "' has no such setting; it has: " + probe.configDef().names()
                                + ", and arenaflow's " + PluginLimits.names());
            }
        }
        Set<Integer> types = Set.copyOf(probe.acceptedTypes());
        types.stream().filter(t -> t < 0 || t > MAX_TYPE).findAny().ifPresent(t -> {
            throw new IllegalStateException("plugin '" + name + "' accepts type " + t + ", outside 0.." + MAX_TYPE);
        });
        AbstractConfig config = parse(name, () -> new AbstractConfig(probe.configDef(), own, false));
        return new PluginSpec(name, factory(provider), types, probe.keepsState(), config,
                parse(name, () -> PluginLimits.of(settings)));
    }

    @SuppressWarnings("try")
    private static Supplier<Plugin> factory(ServiceLoader.Provider<Plugin> provider) {
        ClassLoader loader = provider.type().getClassLoader();
        return () -> {
            try (ContextLoader swap = ContextLoader.swap(loader)) {
                return provider.get();
            }
        };
    }


    /** Parses a plugin's settings, naming the full {@code plugin.<name>.} key in any error. */
    private static <T> T parse(String name, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (ConfigException e) {
            throw new ConfigException("Invalid setting of plugin '" + name + "' (keys are prefixed with "
                    + ArenaflowConfig.PLUGIN_PREFIX + name + ".): " + e.getMessage());
        }
    }
}
