package dev.arenaflow.topology.internal;

import dev.arenaflow.record.RawRecordFormat;
import dev.arenaflow.topology.PluginSpec;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Forwards each decoded record to the processor of every plugin that accepts its type. The
 * record was validated when it was deserialized, so the type is read straight from its bytes.
 */
public final class RouteProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private final List<PluginSpec> plugins;
    private final String[] children;
    private ProcessorContext<byte[], byte[]> context;

    /**
     * @param plugins the plugins, in the order of {@code children}
     * @param children each plugin's processor name
     */
    public RouteProcessor(List<PluginSpec> plugins, List<String> children) {
        this.plugins = List.copyOf(plugins);
        this.children = children.toArray(String[]::new);
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        int type = typeOf(record.value());
        for (int i = 0; i < children.length; i++) {
            if (plugins.get(i).accepts(type)) {
                context.forward(record, children[i]);
            }
        }
    }

    private static int typeOf(byte[] value) {
        return ((value[RawRecordFormat.TYPE_OFFSET] & 0xFF) << Byte.SIZE) | (value[RawRecordFormat.TYPE_OFFSET + 1] & 0xFF);
    }
}
