package dev.arenaflow.cli.plugins;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;

/** {@code plugins list}: reads the control and status topics to their end and prints an overview per plugin. */
public final class PluginsList {

    private final PluginsContext context;
    private final PluginsSettings settings;
    private final PluginClientConfigs configs;
    private final Duration timeout;

    /**
     * @param context creates the consumer
     * @param settings the validated settings: configured plugins and topic names
     * @param configs the consumer's settings
     * @param timeout how long reading may take
     */
    public PluginsList(PluginsContext context, PluginsSettings settings, PluginClientConfigs configs,
                       Duration timeout) {
        this.context = context;
        this.settings = settings;
        this.configs = configs;
        this.timeout = timeout;
    }

    /**
     * @param out where the table or the JSON lines go
     * @param err where notes go when the output is JSON
     * @param json one JSON object per plugin per line instead of a table
     * @throws CommandFailure with exit status 1 if the topics cannot be read to their end in time
     */
    public void print(PrintStream out, PrintWriter err, boolean json) {
        String control = settings.config().controlTopic();
        String status = settings.config().statusTopic();
        Map<String, TopicContents> topics;
        try (Consumer<byte[], byte[]> consumer = context.clients().consumer(configs.consumer())) {
            topics = TopicReader.readToEnd(consumer, List.of(control, status).stream().distinct().toList(), timeout);
        }
        List<PluginOverview> overviews = PluginOverviews.of(settings.configuredPlugins(), topics.get(control),
                topics.get(status));
        if (json) {
            overviews.forEach(o -> out.println(PluginOverviewJson.line(o)));
            PluginTable.notes(topics.get(control), topics.get(status)).forEach(err::println);
            err.flush();
        } else {
            out.print(PluginTable.render(overviews, topics.get(control), topics.get(status)));
        }
    }
}
