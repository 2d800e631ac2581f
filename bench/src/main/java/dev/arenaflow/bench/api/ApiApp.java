package dev.arenaflow.bench.api;

import dev.arenaflow.api.ApiServer;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginCatalog;
import dev.arenaflow.topology.SnapshotSerdes;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * The main class of a child JVM running one arenaflow instance with its gRPC API, started as
 * {@code bin/arenaflow run} starts it (port bound, {@code application.server} advertised, served
 * before start). Each argument is one {@code key=value} setting. A child of its own, so that its
 * process CPU time is the serving side's alone, without the bench's clients.
 *
 * <p>Standard output carries the lines the parent waits for: {@code GRPC <port>} once bound,
 * {@code RUNNING <epoch ms>} once Kafka Streams first runs, then, whenever they change,
 * {@code OWNED <bit mask>} of the input partitions this instance holds as active tasks (so the
 * parent knows which GetLatest requests are answered here and which are forwarded) and
 * {@code SUBSCRIBERS <n>}, the Subscribe streams open here. Logs go to standard error.
 */
public final class ApiApp {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(50);

    private ApiApp() {
    }

    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            props.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        ArenaflowSettings settings = ArenaflowSettings.validate(props,
                PluginCatalog.load(ApiApp.class.getClassLoader()));
        ApiServer api = ApiServer.start(settings);
        ArenaflowSettings served = api.advertise(settings);
        ArenaflowApplication app = ArenaflowApplication.create(served, SnapshotSerdes.serializer(served.properties()));
        api.serve(app);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            app.close();
        }, "api-app-close"));
        say("GRPC " + api.port());
        app.start();
        if (!app.awaitRunning(START_TIMEOUT)) {
            say("FAILED to run within " + START_TIMEOUT);
            System.exit(2);
        }
        say("RUNNING " + System.currentTimeMillis());
        String input = props.getProperty(ArenaflowConfig.INPUT_TOPICS);
        long owned = -1;
        int subscribers = -1;
        while (!app.awaitTermination(WATCH_INTERVAL)) {
            long nowOwned = app.streams().state() == KafkaStreams.State.RUNNING ? owned(app.streams(), input) : 0;
            if (nowOwned != owned) {
                owned = nowOwned;
                say("OWNED " + owned);
            }
            if (api.subscribers() != subscribers) {
                subscribers = api.subscribers();
                say("SUBSCRIBERS " + subscribers);
            }
        }
    }

    /** @return a bit per partition of the input topic held here as an active task */
    private static long owned(KafkaStreams streams, String input) {
        long mask = 0;
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                for (TopicPartition tp : task.topicPartitions()) {
                    if (tp.topic().equals(input)) {
                        mask |= 1L << tp.partition();
                    }
                }
            }
        }
        return mask;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
