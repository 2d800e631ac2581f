package dev.arenaflow.bench.sync;

import dev.arenaflow.local.LocalStack;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginCatalog;
import dev.arenaflow.topology.SnapshotSerdes;
import dev.arenaflow.topology.TopicPreparer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;

/**
 * arenaflow in this JVM, as {@code bin/arenaflow run} would run it, with plugin defaults, reading
 * the input from the beginning under a fresh application id. Its topics are prefixed with the
 * application id, so runs never share a topic, a control record or a registry subject.
 */
final class ArenaflowPipeline implements Pipeline {

    private final LocalStack stack;
    private final String applicationId;
    private final ArenaflowSettings settings;
    private final ArenaflowApplication app;

    ArenaflowPipeline(LocalStack stack, InputTopic input, Guarantee guarantee, String applicationId, Path stateDir,
                      List<String> plugins) {
        this.stack = stack;
        this.applicationId = applicationId;
        Properties props = PassthroughPipeline.settings(stack.kafka(), guarantee, applicationId, stateDir);
        props.put(ArenaflowConfig.INPUT_TOPICS, input.name());
        props.put(ArenaflowConfig.PLUGINS, String.join(",", plugins));
        props.putAll(ArenaflowConfig.topicsPrefixedWith(applicationId + "."));
        props.put(ArenaflowConfig.REGISTRY_URL, stack.registry().apicurioV2Url());
        this.settings = ArenaflowSettings.validate(props, PluginCatalog.load(getClass().getClassLoader()));
        this.app = ArenaflowApplication.create(settings, SnapshotSerdes.serializer(props));
    }

    /** Creates arenaflow's topics now, so that {@link #start()} finds them as a restarted instance would. */
    @Override
    public void prepare() throws InterruptedException, ExecutionException {
        try (Admin admin = stack.kafka().admin()) {
            TopicPreparer.prepare(admin, settings);
        }
        Leaders.await(stack.kafka(), TopicPreparer.outputTopics(settings));
    }

    @Override
    public List<String> outputTopics() {
        return settings.config().pluginNames().stream().map(settings.config()::snapshotTopic).toList();
    }

    @Override
    public int outputsPerInput() {
        return settings.plugins().size();
    }

    @Override
    public void start() throws InterruptedException {
        app.start();
    }

    /** @return the changelog topic of a plugin's arena */
    String arenaChangelog(String plugin) {
        return applicationId + "-arena-" + plugin + "-changelog";
    }

    /** @return the changelog topic of a plugin's own state store */
    String stateChangelog(String plugin) {
        return applicationId + "-state-" + plugin + "-changelog";
    }

    /** @return the topics a record goes to when it does not become a snapshot */
    List<String> failureTopics() {
        ArenaflowConfig config = settings.config();
        List<String> topics = new ArrayList<>(List.of(config.decodeDeadLetterTopic()));
        settings.plugins().forEach(p -> {
            topics.add(config.deadLetterTopic(p.name()));
            topics.addAll(config.retryTopics(p));
        });
        return topics;
    }

    @Override
    public void close() {
        app.close();
    }
}
