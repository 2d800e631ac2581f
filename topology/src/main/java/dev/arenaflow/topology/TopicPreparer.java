package dev.arenaflow.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the input topics before Kafka Streams starts, and creates the snapshot, retry and
 * dead-letter topics that do not exist yet, with as many partitions as the widest input topic (a
 * retry goes back to the partition number its message came from, so its task), and the compacted
 * control and status topics with one partition. Kafka Streams
 * creates its own internal topics; sink topics it expects to find.
 */
public final class TopicPreparer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicPreparer.class);
    private static final java.time.Duration LEADER_WAIT = java.time.Duration.ofSeconds(30);
    private static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    private static final String RETRY = "retry:";

    private TopicPreparer() {
    }

    /**
     * @param admin a client of the cluster
     * @param settings the validated settings
     * @throws ConfigException if an input topic does not exist
     */
    public static void prepare(Admin admin, ArenaflowSettings settings) throws InterruptedException {
        prepare(admin, settings, ArenaflowTopology.deadLetterLimit(settings.properties()));
    }

    /**
     * @param admin a client of the cluster
     * @param settings the validated settings
     * @param deadLetterLimit dead-letter and retry topics created here allow records this large; it is
     *        lowered to the {@code max.message.bytes} of those that exist already
     * @throws ConfigException if an input topic does not exist
     */
    public static void prepare(Admin admin, ArenaflowSettings settings, DeadLetterLimit deadLetterLimit)
            throws InterruptedException {
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
        Map<String, String> carryInputs = recordCarryingTopics(settings);
        for (String topic : outputTopics(settings)) {
            if (!existing.contains(topic)) {
                NewTopic created = new NewTopic(topic, Optional.of(partitions), Optional.empty());
                missing.add(carryInputs.containsKey(topic) ? created.configs(Map.of(MAX_MESSAGE_BYTES,
                        Integer.toString(deadLetterLimit.maxRequestSize()))) : created);
            }
        }
        lowerToExisting(admin, carryInputs, existing, deadLetterLimit);
        for (String topic : List.of(config.controlTopic(), config.statusTopic())) {
            if (!existing.contains(topic)) {
                missing.add(new NewTopic(topic, Optional.of(1), Optional.empty())
                        .configs(Map.of("cleanup.policy", "compact")));
            }
        }
        create(admin, missing);
        checkRetryTopicsAreWideEnough(admin, settings, existing, partitions);
    }

    /** A retry is written to the partition number its message came from, so every tier needs that many. */
    private static void checkRetryTopicsAreWideEnough(Admin admin, ArenaflowSettings settings, Set<String> existing,
                                                      int partitions) throws InterruptedException {
        List<String> retryTopics = settings.plugins().stream()
                .flatMap(p -> settings.config().retryTopics(p).stream()).filter(existing::contains).toList();
        if (retryTopics.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> described = call(() -> admin.describeTopics(retryTopics).allTopicNames().get());
        for (TopicDescription d : described.values()) {
            if (d.partitions().size() < partitions) {
                throw new ConfigException(ArenaflowConfig.RETRY_TOPIC_PREFIX, settings.config()
                        .getString(ArenaflowConfig.RETRY_TOPIC_PREFIX), "retry topic " + d.name() + " has "
                        + d.partitions().size() + " partitions but the widest input topic has " + partitions
                        + "; add partitions to it (kafka-topics.sh --alter --partitions " + partitions + ")");
            }
        }
    }

    /**
     * The dead-letter and retry topics, which carry whole input records plus arenaflow's headers, each
     * with the plugin it belongs to ({@link DeadLetterHeaders#DECODE_PLUGIN} for malformed records) and,
     * for retry topics, a {@code retry:} prefix.
     */
    private static Map<String, String> recordCarryingTopics(ArenaflowSettings settings) {
        ArenaflowConfig config = settings.config();
        Map<String, String> topics = new java.util.HashMap<>();
        topics.put(config.decodeDeadLetterTopic(), DeadLetterHeaders.DECODE_PLUGIN);
        for (PluginSpec plugin : settings.plugins()) {
            topics.put(config.deadLetterTopic(plugin.name()), plugin.name());
            config.retryTopics(plugin).forEach(t -> topics.put(t, RETRY + plugin.name()));
        }
        return topics;
    }

    /**
     * An existing dead-letter or retry topic that allows less than {@code max.request.size} lowers
     * its limit, with a warning.
     */
    private static void lowerToExisting(Admin admin, Map<String, String> carrying, Set<String> existing,
                                        DeadLetterLimit limit) throws InterruptedException {
        List<String> topics = carrying.keySet().stream().filter(existing::contains).sorted().toList();
        if (topics.isEmpty()) {
            return;
        }
        Map<ConfigResource, Config> configs;
        try {
            configs = admin.describeConfigs(topics.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all().get();
        } catch (ExecutionException e) {
            LOG.warn("Could not read max.message.bytes of {} ({}); a dead letter larger than one of them would fail "
                    + "its send", topics, e.getCause().toString());
            return;
        }
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(MAX_MESSAGE_BYTES);
            if (entry == null || entry.value() == null) {
                return;
            }
            int allowed = Integer.parseInt(entry.value());
            if (allowed < limit.maxRequestSize()) {
                String owner = carrying.get(resource.name());
                boolean retry = owner.startsWith(RETRY);
                LOG.warn("Topic {} allows records up to {} bytes (max.message.bytes), less than {} (max.request.size): {}"
                        + ". To raise it: kafka-configs.sh --alter --entity-type topics --entity-name {} --add-config "
                        + "max.message.bytes={}", resource.name(), allowed, limit.maxRequestSize(),
                        retry ? "a failed attempt larger than that cannot be retried and goes to the dead-letter "
                                + "topic as " + DeadLetterLimit.RETRY_TOO_LARGE
                                : "larger dead letters go there without their value",
                        resource.name(), limit.maxRequestSize());
                if (retry) {
                    limit.lowerRetryTopicTo(resource.name(), allowed);
                } else {
                    limit.lowerTo(owner, allowed);
                }
            }
        });
    }

    /** @return every topic arenaflow writes to, apart from Kafka Streams' internal ones */
    public static List<String> outputTopics(ArenaflowSettings settings) {
        ArenaflowConfig config = settings.config();
        List<String> topics = new ArrayList<>();
        topics.add(config.decodeDeadLetterTopic());
        for (PluginSpec plugin : settings.plugins()) {
            topics.add(config.snapshotTopic(plugin.name()));
            topics.add(config.deadLetterTopic(plugin.name()));
            topics.addAll(config.retryTopics(plugin));
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
        awaitLeaders(admin, topics.stream().map(NewTopic::name).toList());
    }

    /**
     * A topic just created may have no leaders yet: Kafka Streams' global consumer then finds "no
     * partitions" for the control topic and fails, and a producer's first batches bounce.
     */
    private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException {
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
                if (described.values().stream().allMatch(d -> !d.partitions().isEmpty()
                        && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()))) {
                    return;
                }
            } catch (ExecutionException e) {
                LOG.debug("Topics {} not described yet: {}", topics, e.getCause().toString());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topics " + topics + " still have partitions without a leader after "
                        + LEADER_WAIT.toSeconds() + " s");
            }
            Thread.sleep(100);
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
