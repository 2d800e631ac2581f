package dev.arenaflow.topology.internal;

/**
 * Makes a plugin's own class loader the thread's context class loader for the length of a call
 * into the plugin, and puts the previous one back on {@link #close()}. Code that looks classes or
 * resources up through the context loader ({@code ServiceLoader.load(Class)}, Kafka's parsing of
 * {@code CLASS} settings, many libraries) then finds the plugin's copies, not the application's.
 *
 * <pre>{@code
 * try (ContextLoader swap = ContextLoader.swapFor(plugin)) {
 *     return plugin.handle(view, message);
 * }
 * }</pre>
 *
 * <p>Only plugins loaded from {@code arenaflow.plugin.path} are swapped to; for a plugin on the
 * application class path nothing changes and nothing is allocated, since this is on the hot path.
 *
 * <p>Threading notes: affects only the calling thread; close it on the thread that opened it.
 */
public final class ContextLoader implements AutoCloseable {

    private static final ContextLoader UNCHANGED = new ContextLoader(null);

    private final ClassLoader previous;

    private ContextLoader(ClassLoader previous) {
        this.previous = previous;
    }

    /**
     * @param plugin an instance of the plugin about to be called
     * @return the swap, to close when the call returns
     */
    public static ContextLoader swapFor(Object plugin) {
        return swap(plugin.getClass().getClassLoader());
    }

    /**
     * @param loader the class loader a plugin was loaded by
     * @return the swap, to close when the call returns
     */
    public static ContextLoader swap(ClassLoader loader) {
        if (!(loader instanceof PluginClassLoader)) {
            return UNCHANGED;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        if (previous == loader) {
            return UNCHANGED;
        }
        thread.setContextClassLoader(loader);
        return new ContextLoader(previous);
    }

    @Override
    public void close() {
        if (this != UNCHANGED) {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
