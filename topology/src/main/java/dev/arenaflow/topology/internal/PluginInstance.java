package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.topology.PluginSpec;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * The plugin instance of one task, and its settings, which an operator may change at runtime: the
 * instance takes them itself, or is closed and replaced by a new one opened with them.
 *
 * <p>Threading notes: stream thread only.
 */
final class PluginInstance implements AutoCloseable {

    private final PluginSpec spec;
    private final ProcessorContext<?, ?> context;
    private final String stateStore;
    private Plugin plugin;
    private StreamsPluginContext pluginContext;

    PluginInstance(PluginSpec spec, ProcessorContext<?, ?> context, String stateStore) {
        this.spec = spec;
        this.context = context;
        this.stateStore = stateStore;
    }

    @SuppressWarnings("try")
    void open(AbstractConfig config) {
        plugin = spec.factory().get();
        pluginContext = new StreamsPluginContext(spec, context, stateStore, config);
        try (ContextLoader swap = ContextLoader.swapFor(plugin)) {
            plugin.open(pluginContext);
        }
    }

    Plugin plugin() {
        return plugin;
    }

    /** @return true if the running instance took the settings; false if it was replaced by a new one */
    @SuppressWarnings("try")
    boolean reconfigure(AbstractConfig config) {
        pluginContext.reconfigure(config);
        try (ContextLoader swap = ContextLoader.swapFor(plugin)) {
            if (plugin.reconfigure(config)) {
                return true;
            }
            plugin.close();
        }
        open(config);
        return false;
    }

    @Override
    @SuppressWarnings("try")
    public void close() {
        if (plugin != null) {
            try (ContextLoader swap = ContextLoader.swapFor(plugin)) {
                plugin.close();
            }
        }
    }
}
