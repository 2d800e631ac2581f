package dev.arenaflow.ops.internal;

import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.ArenaflowTopology;
import dev.arenaflow.topology.control.PluginControl;
import dev.arenaflow.topology.control.PluginStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the control topic (what operators want of each plugin) and the status topic (what each
 * task of each instance applied) from their beginning, with a consumer of its own: no group,
 * committed records only, settings derived as Kafka Streams derives its global consumer's. The
 * latest record per key is kept in memory; both topics are compacted and small.
 *
 * <p>Threading notes: one thread of its own polls; {@link #wanted} and {@link #applied} are read
 * from HTTP threads and see the maps as of the last poll.
 */
public final class ControlFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String controlTopic;
    private final String statusTopic;
    private final String application;
    private final Map<String, PluginControl> wanted = new ConcurrentHashMap<>();
    private final Map<String, PluginStatus> applied = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean started;

    /** @param settings the application's settings; its topics and client settings are used */
    public ControlFollower(ArenaflowSettings settings) {
        this.controlTopic = settings.config().controlTopic();
        this.statusTopic = settings.config().statusTopic();
        this.application = settings.properties().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(consumerConfig(settings), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "arenaflow-ops-control-follower");
        thread.setDaemon(true);
    }

    public void start() {
        started = true;
        thread.start();
    }

    /** @return each steered plugin's latest control record, by plugin name */
    public Map<String, PluginControl> wanted() {
        return Map.copyOf(wanted);
    }

    /** @return the latest status of each task of this application (any instance) for the plugin, by task id */
    public Map<String, PluginStatus> applied(String plugin) {
        Map<String, PluginStatus> byTask = new TreeMap<>();
        for (PluginStatus status : applied.values()) {
            if (status.plugin().equals(plugin) && status.application().equals(application)) {
                byTask.put(status.task(), status);
            }
        }
        return byTask;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    take(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("The status page no longer follows {} and {}: {}", controlTopic, statusTopic, e.toString());
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** The application creates both topics as it starts; until then there is nothing to follow. */
    private List<TopicPartition> awaitPartitions() throws InterruptedException {
        while (running) {
            try {
                List<TopicPartition> control = partitionsOf(controlTopic);
                List<TopicPartition> status = partitionsOf(statusTopic);
                if (!control.isEmpty() && !status.isEmpty()) {
                    control.addAll(status);
                    return control;
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.debug("No metadata of {} and {} yet: {}", controlTopic, statusTopic, e.getMessage());
            }
            Thread.sleep(POLL.toMillis());
        }
        return List.of();
    }

    private List<TopicPartition> partitionsOf(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, POLL);
        List<TopicPartition> partitions = new ArrayList<>();
        if (infos != null) {
            infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        return partitions;
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        Map<String, ?> target = record.topic().equals(controlTopic) ? wanted : applied;
        if (record.value() == null) {
            target.remove(record.key());
            return;
        }
        try {
            if (record.topic().equals(controlTopic)) {
                wanted.put(record.key(), PluginControl.fromJson(record.value()));
            } else {
                applied.put(record.key(), PluginStatus.fromJson(record.value()));
            }
        } catch (IllegalArgumentException e) {
            LOG.debug("Skipping {} at {}-{}@{}: {}", record.key(), record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    private static Map<String, Object> consumerConfig(ArenaflowSettings settings) {
        StreamsConfig streams = new StreamsConfig(ArenaflowTopology.streamsProperties(settings.properties()));
        String clientId = settings.properties().getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-ops";
        Map<String, Object> config = new TreeMap<>(streams.getGlobalConsumerConfigs(clientId));
        config.keySet().retainAll(ConsumerConfig.configNames());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return config;
    }

    @Override
    public void close() {
        running = false;
        if (!started) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
