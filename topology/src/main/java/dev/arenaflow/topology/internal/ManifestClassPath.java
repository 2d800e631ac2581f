package dev.arenaflow.topology.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.kafka.common.config.ConfigException;

/**
 * Keeps a plugin jar's manifest {@code Class-Path} inside the plugin directory. A class loader
 * follows those entries, relative or absolute, so without this check a jar could pull in code
 * from anywhere on the disk, and the directory would not be the only thing trusted.
 */
final class ManifestClassPath {

    private ManifestClassPath() {
    }

    /**
     * @param jar a jar in a plugin location
     * @param directory the configured directory it was found in
     * @throws ConfigException if the jar cannot be read or its Class-Path names anything outside the directory
     */
    static void requireWithin(Path jar, Path directory) {
        String classPath = read(jar, directory);
        if (classPath == null || classPath.isBlank()) {
            return;
        }
        Path trusted = directory.toAbsolutePath().normalize();
        for (String entry : classPath.trim().split("\\s+")) {
            if (!isWithin(jar, entry, trusted)) {
                throw PluginLocation.invalid(directory, "jar " + jar + " names " + entry + " in its manifest Class-Path, "
                        + "which is outside this directory; only the configured directories are trusted");
            }
        }
    }

    private static boolean isWithin(Path jar, String entry, Path trusted) {
        try {
            URI target = jar.toAbsolutePath().toUri().resolve(entry);
            return "file".equals(target.getScheme()) && Path.of(target).normalize().startsWith(trusted);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException notAPath) {
            return false;
        }
    }

    private static String read(Path jar, Path directory) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            return manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        } catch (IOException e) {
            throw PluginLocation.invalid(directory, "jar " + jar + " cannot be read: " + e);
        }
    }
}
