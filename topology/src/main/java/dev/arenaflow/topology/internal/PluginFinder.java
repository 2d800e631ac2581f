package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Plugin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import dev.arenaflow.topology.PluginNames;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds plugins with {@link ServiceLoader}: on the application class path, then in each location
 * of the plugin path, through the location's own {@link PluginClassLoader}.
 */
public final class PluginFinder {

    private static final Logger LOG = LoggerFactory.getLogger(PluginFinder.class);

    private PluginFinder() {
    }

    /**
     * @param parent the application's class loader
     * @param pluginPath the configured plugin directories; may be empty
     * @return every plugin found, by name
     * @throws ConfigException naming a plugin path entry that is missing, not a directory or not trusted
     * @throws IllegalStateException if two plugins share a name, naming both classes and where they
     *                               came from, or a name is not usable in topic names
     */
    public static Map<String, ServiceLoader.Provider<Plugin>> find(ClassLoader parent, List<Path> pluginPath) {
        Map<String, ServiceLoader.Provider<Plugin>> found = new TreeMap<>();
        ServiceLoader.load(Plugin.class, parent).stream().forEach(provider -> add(found, provider));
        for (PluginLocation location : PluginLocation.scan(pluginPath)) {
            addLocation(found, location.classLoader(parent));
        }
        found.forEach((name, provider) -> LOG.info("Found plugin '{}': {} from {}", name, provider.type().getName(),
                origin(provider.type())));
        return found;
    }

    private static void addLocation(Map<String, ServiceLoader.Provider<Plugin>> found, PluginClassLoader loader) {
        // The loader also sees the parent's services files; those plugins are already in, from the class path.
        List<ServiceLoader.Provider<Plugin>> own;
        try {
            own = ServiceLoader.load(Plugin.class, loader).stream()
                    .filter(provider -> provider.type().getClassLoader() == loader).toList();
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("plugin location " + loader.location() + " is broken: " + e.getMessage(), e);
        }
        if (own.isEmpty()) {
            LOG.warn("No plugin in {}: it lists none in META-INF/services/{}", loader.location(), Plugin.class.getName());
            close(loader);
        }
        own.forEach(provider -> add(found, provider));
    }

    @SuppressWarnings("try")
    private static void add(Map<String, ServiceLoader.Provider<Plugin>> found, ServiceLoader.Provider<Plugin> provider) {
        String name;
        try (ContextLoader swap = ContextLoader.swap(provider.type().getClassLoader())) {
            name = provider.get().name();
        }
        if (!PluginNames.wellFormed(name)) {
            throw new IllegalStateException("plugin " + provider.type().getName() + " from " + origin(provider.type())
                    + " has name '" + name + "'; " + PluginNames.RULE);
        }
        ServiceLoader.Provider<Plugin> twin = found.putIfAbsent(name, provider);
        if (twin != null) {
            throw new IllegalStateException("plugins " + twin.type().getName() + " (from " + origin(twin.type()) + ") and "
                    + provider.type().getName() + " (from " + origin(provider.type()) + ") are both named '" + name + "'");
        }
    }

    /** @return the jar or class folder a class was loaded from, for messages */
    private static String origin(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "an unknown location";
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException notAFile) {
            return source.getLocation().toString();
        }
    }

    private static void close(PluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the class loader of " + loader.location(), e);
        }
    }
}
