package dev.arenaflow.topology.internal;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/**
 * The class loader of one plugin location: child-first, so that a plugin's own copy of a library
 * wins over the application's and over other plugins', except for the classes a plugin shares with
 * arenaflow, which come from the parent so that a {@code Plugin}, a {@code RawRecordView} or a
 * snapshot is the same type on both sides.
 *
 * <p>A shared class the application does not have is still looked for in the plugin's jars, the
 * usual parent-first way; this lets a plugin ship, say, a {@code javax.} library the JDK lacks.
 * Resources are looked for in the plugin's jars first, so its own {@code META-INF/services} files
 * come first.
 *
 * <p>Threading notes: parallel capable; any thread may load classes through it.
 */
public final class PluginClassLoader extends URLClassLoader {

    /** Package prefixes a plugin shares with arenaflow: the JDK, the plugin API and what it exposes. */
    static final List<String> SHARED_PREFIXES = List.of("java.", "javax.", "jdk.", "sun.",
            "dev.arenaflow.plugin.", "dev.arenaflow.record.", "dev.arenaflow.schemas.",
            "org.apache.avro.", "org.apache.kafka.", "org.slf4j.");

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final Path location;

    /**
     * @param location the jar or folder the plugin was found in, for messages
     * @param jars the jars that make up the plugin
     * @param parent the application's class loader
     */
    public PluginClassLoader(Path location, URL[] jars, ClassLoader parent) {
        super("plugin:" + location.getFileName(), jars, Objects.requireNonNull(parent, "parent"));
        this.location = location;
    }

    /** @return the jar or folder the plugin was found in */
    public Path location() {
        return location;
    }

    /**
     * @param className a binary class name
     * @return whether the class must come from the application when it has it
     */
    public static boolean isShared(String className) {
        return SHARED_PREFIXES.stream().anyMatch(className::startsWith);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null && !isShared(name)) {
                loaded = findOwnClass(name);
            }
            if (loaded == null) {
                loaded = super.loadClass(name, false);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private Class<?> findOwnClass(String name) {
        try {
            return findClass(name);
        } catch (ClassNotFoundException notInPlugin) {
            return null;
        }
    }

    @Override
    public URL getResource(String name) {
        Objects.requireNonNull(name);
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        Objects.requireNonNull(name);
        List<URL> all = Collections.list(findResources(name));
        // The parent directly: super.getResources would list the plugin's own resources a second time.
        all.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(all);
    }

    @Override
    public String toString() {
        return "PluginClassLoader{" + location + "}";
    }
}
