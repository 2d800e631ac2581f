package dev.arenaflow.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the input topics before Kafka Streams starts, and creates the snapshot and dead-letter
 * topics that do not exist yet, with as many partitions as the widest input topic. Kafka Streams
 * creates its own internal topics; sink topics it expects to find.
 */
public final class TopicPreparer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicPreparer.class);

    private TopicPreparer() {
    }

    /**
     * @param admin a client of the cluster
     * @param settings the validated settings
     * @throws ConfigException if an input topic does not exist
     */
    public static void prepare(Admin admin, ArenaflowSettings settings) throws InterruptedException {
        ArenaflowConfig config = settings.config();
        Set<String> existing = call(() -> admin.listTopics().names().get());
        List<String> missingInputs = config.inputTopics().stream().filter(t -> !existing.contains(t)).toList();
        if (!missingInputs.isEmpty()) {
            throw new ConfigException(ArenaflowConfig.INPUT_TOPICS, config.inputTopics(),
                    "input topics " + missingInputs + " do not exist; create them first");
        }
        Map<String, TopicDescription> inputs = call(() -> admin.describeTopics(config.inputTopics()).allTopicNames().get());
        int partitions = inputs.values().stream().mapToInt(d -> d.partitions().size()).max().orElse(1);
        List<NewTopic> missing = new ArrayList<>();
        for (String topic : outputTopics(settings)) {
            if (!existing.contains(topic)) {
                missing.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
            }
        }
        create(admin, missing);
    }

    /** @return every topic arenaflow writes to, apart from Kafka Streams' internal ones */
    public static List<String> outputTopics(ArenaflowSettings settings) {
        ArenaflowConfig config = settings.config();
        List<String> topics = new ArrayList<>();
        topics.add(config.decodeDeadLetterTopic());
        for (PluginSpec plugin : settings.plugins()) {
            topics.add(config.snapshotTopic(plugin.name()));
            topics.add(config.deadLetterTopic(plugin.name()));
        }
        return topics;
    }

    private static void create(Admin admin, List<NewTopic> topics) throws InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(topics).all().get();
            LOG.info("Created topics {}", topics.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topics " + topics + ": " + e.getCause(), e.getCause());
            }
        }
    }

    private interface Call<T> {
        T get() throws InterruptedException, ExecutionException;
    }

    private static <T> T call(Call<T> call) throws InterruptedException {
        try {
            return call.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka admin request failed: " + e.getCause(), e.getCause());
        }
    }
}
