package dev.arenaflow.topology.internal;

import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.PluginContext;
import dev.arenaflow.plugin.PluginState;
import dev.arenaflow.topology.PluginSpec;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/** The {@link PluginContext} of a plugin running in a stream task. */
final class StreamsPluginContext implements PluginContext {

    private final PluginSpec spec;
    private final ProcessorContext<?, ?> context;
    private final String stateStore;
    private AbstractConfig config;

    StreamsPluginContext(PluginSpec spec, ProcessorContext<?, ?> context, String stateStore, AbstractConfig config) {
        this.spec = spec;
        this.context = context;
        this.stateStore = stateStore;
        this.config = config;
    }

    /** Settings changed at runtime; the plugin sees them from its next call on. */
    void reconfigure(AbstractConfig newConfig) {
        this.config = newConfig;
    }

    @Override
    public String pluginName() {
        return spec.name();
    }

    @Override
    public AbstractConfig config() {
        return config;
    }

    @Override
    public <V> PluginState<V> state(Serde<V> valueSerde) {
        if (!spec.keepsState()) {
            throw new IllegalStateException("plugin " + spec.name() + " asked for state but does not declare "
                    + Plugin.class.getSimpleName() + ".keepsState()");
        }
        KeyValueStore<Bytes, byte[]> store = context.getStateStore(stateStore);
        return new StoreBackedPluginState<>(store, valueSerde);
    }
}
