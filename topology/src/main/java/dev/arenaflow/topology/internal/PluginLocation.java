package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.ArenaflowConfig;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plugin's place in a directory of {@code arenaflow.plugin.path}: a jar directly in the
 * directory, or a folder directly in it whose jars, together, are the plugin and its libraries.
 * Each location gets its own {@link PluginClassLoader}.
 *
 * @param path the jar or folder
 * @param jars the jars that make up the plugin, sorted by name
 */
public record PluginLocation(Path path, List<Path> jars) {

    private static final Logger LOG = LoggerFactory.getLogger(PluginLocation.class);

    public PluginLocation {
        jars = List.copyOf(jars);
    }

    /**
     * Lists the locations in the configured directories. Nothing outside them is loaded: a jar
     * whose manifest {@code Class-Path} reaches outside its directory is refused.
     *
     * @param pluginPath the configured directories
     * @return every location, by directory in the configured order, then by name
     * @throws ConfigException naming a directory that is missing, not a directory or unreadable,
     *                         or holds a jar that cannot be read or reaches outside it
     */
    public static List<PluginLocation> scan(List<Path> pluginPath) {
        List<PluginLocation> locations = new ArrayList<>();
        for (Path directory : pluginPath) {
            locations.addAll(scanDirectory(directory));
        }
        return locations;
    }

    /**
     * @param parent the application's class loader
     * @return a new class loader over this location's jars; the caller closes it
     */
    public PluginClassLoader classLoader(ClassLoader parent) {
        return new PluginClassLoader(path, jars.stream().map(PluginLocation::url).toArray(URL[]::new), parent);
    }

    private static List<PluginLocation> scanDirectory(Path directory) {
        if (!Files.exists(directory)) {
            throw invalid(directory, "does not exist");
        }
        if (!Files.isDirectory(directory)) {
            throw invalid(directory, "is not a directory");
        }
        List<PluginLocation> found = new ArrayList<>();
        for (Path child : visibleChildren(directory)) {
            if (isJar(child)) {
                found.add(new PluginLocation(child, List.of(child)));
            } else if (Files.isDirectory(child)) {
                folder(child).ifPresent(found::add);
            }
        }
        found.forEach(location -> location.jars().forEach(jar -> ManifestClassPath.requireWithin(jar, directory)));
        return found;
    }

    private static Optional<PluginLocation> folder(Path folder) {
        List<Path> jars = visibleChildren(folder).stream().filter(PluginLocation::isJar).toList();
        if (jars.isEmpty()) {
            // Likely a packaging mistake, but a stray folder should not stop every other plugin.
            LOG.warn("Ignoring {} in {}: it holds no .jar file", folder, ArenaflowConfig.PLUGIN_PATH);
            return Optional.empty();
        }
        return Optional.of(new PluginLocation(folder, jars));
    }

    private static List<Path> visibleChildren(Path directory) {
        try (Stream<Path> children = Files.list(directory)) {
            return children.filter(child -> !child.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw invalid(directory, "cannot be read: " + e);
        }
    }

    private static boolean isJar(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().endsWith(".jar") && Files.isRegularFile(file);
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("jar " + jar + " has no URL", e);
        }
    }

    static ConfigException invalid(Path directory, String why) {
        return new ConfigException(ArenaflowConfig.PLUGIN_PATH, directory.toString(), why);
    }
}
