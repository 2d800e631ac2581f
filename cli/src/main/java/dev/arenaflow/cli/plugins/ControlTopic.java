package dev.arenaflow.cli.plugins;

import dev.arenaflow.topology.control.PluginControl;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * The control topic as an operator's command changes it: the plugin's current record is read to the
 * end offset first, so that a change keeps what it does not touch, then the new record (or a
 * tombstone) is written by an idempotent producer with acks=all. A missing topic is created.
 *
 * <p>Two operators changing one plugin at the same moment may each miss the other's change: the
 * later record wins whole, as compaction would have it anyway.
 */
public final class ControlTopic {

    private final PluginsContext context;
    private final PluginClientConfigs configs;
    private final String topic;
    private final Duration timeout;
    private final PrintWriter notes;

    /**
     * @param context the clients and the topic creator
     * @param configs the clients' settings
     * @param topic the control topic's name
     * @param timeout the longest wait for any one step
     * @param notes where to say that the topic was created
     */
    public ControlTopic(PluginsContext context, PluginClientConfigs configs, String topic, Duration timeout,
                        PrintWriter notes) {
        this.context = context;
        this.configs = configs;
        this.topic = topic;
        this.timeout = timeout;
        this.notes = notes;
    }

    /**
     * @param plugin the plugin, checked to exist
     * @param change the change to its current control
     * @return what was written, if anything
     * @throws CommandFailure if the change is refused (2), or the current record is unreadable or Kafka fails (1)
     */
    public WrittenControl update(String plugin, ControlChange change) throws InterruptedException {
        TopicContents contents = read();
        PluginControl current = current(contents, plugin);
        PluginControl next = change.applyTo(current);
        if (next == current) {
            return new WrittenControl(topic, plugin, current, false, -1, -1);
        }
        return send(contents, plugin, next);
    }

    /**
     * @param plugin the plugin, checked to exist
     * @return the tombstone written
     * @throws CommandFailure with exit status 1 if Kafka fails
     */
    public WrittenControl reset(String plugin) throws InterruptedException {
        return send(read(), plugin, null);
    }

    private PluginControl current(TopicContents contents, String plugin) {
        KeyedRecord record = contents.latest(plugin).orElse(null);
        if (record == null) {
            return PluginControl.DEFAULT;
        }
        try {
            return PluginControl.fromJson(record.value());
        } catch (IllegalArgumentException e) {
            throw CommandFailure.failed("the control record of '" + plugin + "' in " + topic + " ("
                    + record.position() + ") is unreadable: " + e.getMessage() + "; 'arenaflow plugins reset "
                    + plugin + "' replaces it with a tombstone", e);
        }
    }

    private TopicContents read() {
        try (Consumer<byte[], byte[]> consumer = context.clients().consumer(configs.consumer())) {
            return TopicReader.readToEnd(consumer, List.of(topic), timeout).get(topic);
        }
    }

    private void create() throws InterruptedException {
        boolean created = context.topicCreator().createCompacted(topic, configs.admin(), timeout);
        if (created) {
            notes.println("created the control topic " + topic + " (compacted, 1 partition)");
            notes.flush();
        }
    }

    private WrittenControl send(TopicContents contents, String plugin, PluginControl control)
            throws InterruptedException {
        if (!contents.exists()) {
            create();
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, plugin.getBytes(StandardCharsets.UTF_8),
                control == null ? null : control.toJson());
        try (Producer<byte[], byte[]> producer = context.clients().producer(configs.producer())) {
            RecordMetadata m = producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new WrittenControl(topic, plugin, control, true, m.partition(), m.offset());
        } catch (ExecutionException e) {
            throw cannotWrite(plugin, e.getCause().getMessage(), e.getCause());
        } catch (KafkaException e) {
            // Thrown by send itself, e.g. when the topic's metadata does not arrive within max.block.ms.
            throw cannotWrite(plugin, e.getMessage(), e);
        } catch (TimeoutException e) {
            throw cannotWrite(plugin, "no acknowledgement within " + timeout.toMillis() + " ms", e);
        }
    }

    private CommandFailure cannotWrite(String plugin, String why, Throwable cause) {
        return CommandFailure.failed("could not write the control record of '" + plugin + "' to " + topic + ": " + why,
                cause);
    }
}
