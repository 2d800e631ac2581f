package dev.arenaflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one process, or in two with
 * {@link KafkaOptions#withSeparateController()}) running as child JVMs on free 127.0.0.1 ports, from
 * the jars that {@code local-stack} copies at build time. Its data lives in {@code workDir/data}
 * (and a separate controller's in {@code workDir/controller-data}) and is formatted afresh on every
 * start.
 *
 * <p>The broker outlives this JVM if this JVM is killed without {@link #close()}; callers that
 * run until interrupted (the demo) add a shutdown hook that calls {@link #close()}.
 *
 * <p>Threading notes: {@link #start} blocks its caller until the broker is ready. The other
 * methods may be called from any thread; {@link #close()} is idempotent and safe to call from a
 * shutdown hook concurrently with other threads.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 3;
    /** The controller's default {@code broker.session.timeout.ms}, 9 s, and a margin for its check. */
    private static final Duration FENCED_AFTER_KILL = Duration.ofSeconds(12);

    private final Path workDir;
    private final LocalStackLayout layout;
    private final KafkaOptions options;
    private final Path config;
    private final int port;
    private final String bootstrapServers;
    /** The SASL_SSL listener's address, or null if the broker has none. */
    private final String secureBootstrapServers;
    private volatile ChildProcess broker;
    /** When {@link #kill} last killed the broker, by {@link System#nanoTime()}. */
    private volatile long killedAtNanos;
    /** The controller's own process, or null if the broker is its own controller. */
    private final ChildProcess controller;

    private LocalKafka(ChildProcess controller, ChildProcess broker, int port, int securePort,
                       Path workDir, LocalStackLayout layout,
                       KafkaOptions options, Path config) {
        this.controller = controller;
        this.broker = broker;
        this.port = port;
        this.bootstrapServers = "127.0.0.1:" + port;
        this.secureBootstrapServers = securePort > 0 ? "127.0.0.1:" + securePort : null;
        this.workDir = workDir;
        this.layout = layout;
        this.options = options;
        this.config = config;
    }

    /**
     * Starts a broker with {@link KafkaOptions#defaults()}, located by {@link LocalStackLayout#locate()}.
     *
     * @param workDir folder for the broker's config, data and {@code broker.log}; created if missing
     * @throws ChildProcessException if the broker fails to start or is not ready within 60 s
     */
    public static LocalKafka start(Path workDir) throws InterruptedException {
        return start(workDir, LocalStackLayout.locate(), KafkaOptions.defaults());
    }

    /**
     * Starts a broker and blocks until it answers a describe-cluster request. Retries with new
     * ports if another process took a picked port first.
     *
     * @param workDir folder for the broker's config, data and {@code broker.log}; created if missing
     * @param layout where the broker's jars are
     * @param options broker settings
     * @throws ChildProcessException if the broker fails to start or is not ready within 60 s
     */
    public static LocalKafka start(Path workDir, LocalStackLayout layout, KafkaOptions options)
            throws InterruptedException {
        return start(workDir, layout, options, null);
    }

    /**
     * Starts a broker as {@link #start(Path, LocalStackLayout, KafkaOptions)} does, with a
     * {@code SASL_SSL} listener beside the {@code PLAINTEXT} one, whose SCRAM user is created when
     * the storage is formatted.
     *
     * @param secure the secure listener, or null for none
     * @throws ChildProcessException if the broker fails to start or is not ready within 60 s
     */
    public static LocalKafka start(Path workDir, LocalStackLayout layout, KafkaOptions options, SecureListener secure)
            throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(workDir, layout, options, secure);
            } catch (ChildProcessException e) {
                if (!e.isPortClash() || attempt == START_ATTEMPTS) {
                    throw e;
                }
                LOG.info("A picked port was taken before the broker bound it; retrying with new ports");
            }
        }
    }

    private static LocalKafka startOnce(Path workDir, LocalStackLayout layout, KafkaOptions options,
                                        SecureListener secure) throws InterruptedException {
        long startNanos = System.nanoTime();
        int[] ports = FreePorts.pick(secure == null ? 2 : 3);
        int securePort = secure == null ? 0 : ports[2];
        Path config = writeServerProperties(workDir, ports[0], ports[1], options, secure, securePort);
        String clusterId = Uuid.randomUuid().toString();
        ChildProcess controller = null;
        if (options.separateController()) {
            Path controllerConfig = writeControllerProperties(workDir, ports[1]);
            format(workDir, layout, controllerConfig, clusterId, secure, true, "controller-format.log");
            controller = ChildProcess.startJava("Kafka controller", javaArgs(layout, List.of("-Xmx256m",
                    "-XX:+ExitOnOutOfMemoryError"), "kafka.Kafka", controllerConfig.toString()), workDir,
                    workDir.resolve("controller.log"));
        }
        ChildProcess broker;
        try {
            // SCRAM users live in the controller's metadata, so only a combined node formats them in.
            format(workDir, layout, config, clusterId, controller == null ? secure : null, controller == null,
                    "format.log");
            broker = ChildProcess.startJava("Kafka broker", brokerArgs(layout, options, config), workDir,
                    workDir.resolve("broker.log"));
        } catch (InterruptedException | RuntimeException e) {
            if (controller != null) {
                controller.stop(STOP_GRACE);
            }
            throw e;
        }
        LocalKafka kafka = new LocalKafka(controller, broker, ports[0], securePort, workDir, layout, options, config);
        try {
            kafka.awaitReady();
        } catch (InterruptedException | RuntimeException e) {
            kafka.close();
            throw e;
        }
        LOG.info("Kafka broker ready at {} in {} ms (pid {}, log {})", kafka.bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), broker.pid(), broker.log());
        return kafka;
    }

    private static Path writeServerProperties(Path workDir, int brokerPort, int controllerPort, KafkaOptions options,
                                              SecureListener secure, int securePort) {
        Path dataDir = workDir.resolve("data");
        try {
            // Formatting refuses a folder that holds another cluster's id, so each start begins empty.
            Files.createDirectories(workDir);
            MoreFiles.deleteRecursively(dataDir);
            Path config = workDir.resolve("server.properties");
            Files.writeString(config, ServerProperties.render(brokerPort, controllerPort, dataDir, options,
                    secure, securePort));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the broker's folder " + workDir, e);
        }
    }

    private static Path writeControllerProperties(Path workDir, int controllerPort) {
        Path dataDir = workDir.resolve("controller-data");
        try {
            MoreFiles.deleteRecursively(dataDir);
            Path config = workDir.resolve("controller.properties");
            Files.writeString(config, ServerProperties.renderController(controllerPort, dataDir));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the controller's folder " + workDir, e);
        }
    }

    /** Formats one node's storage; the two nodes of a split cluster share {@code clusterId}. */
    private static void format(Path workDir, LocalStackLayout layout, Path config, String clusterId,
                               SecureListener secure, boolean controller, String logName) throws InterruptedException {
        List<String> toolArgs = new ArrayList<>(List.of("format", "-t", clusterId, "-c", config.toString()));
        if (controller) {
            // The first controller of a new cluster; a broker-only node joins the controller's quorum.
            toolArgs.add("--standalone");
        }
        if (secure != null) {
            // SCRAM users live in the cluster metadata; formatting is the one moment to add them without a client.
            toolArgs.addAll(List.of("--add-scram", secure.scramCredential()));
        }
        // C1 only: a one-second tool spends more CPU in the C2 compiler than it saves.
        List<String> args = javaArgs(layout, List.of("-XX:TieredStopAtLevel=1"), "kafka.tools.StorageTool",
                toolArgs.toArray(String[]::new));
        ChildProcess tool = ChildProcess.startJava("Kafka storage formatter", args, workDir,
                workDir.resolve(logName));
        int exit = tool.awaitExit(FORMAT_TIMEOUT);
        if (exit != 0) {
            throw tool.failure("exited with " + exit);
        }
    }

    private static List<String> brokerArgs(LocalStackLayout layout, KafkaOptions options, Path config) {
        return javaArgs(layout, List.of(
                "-Xmx" + options.maxHeap(),
                // A broker that ran out of memory is broken; exiting shows up at once as "exited".
                "-XX:+ExitOnOutOfMemoryError"), "kafka.Kafka", config.toString());
    }

    private static List<String> javaArgs(LocalStackLayout layout, List<String> jvmFlags, String main,
            String... args) {
        List<String> command = new ArrayList<>(jvmFlags);
        command.addAll(List.of(
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + layout.kafkaLogConfig().toUri(),
                "-cp", layout.kafkaLibs().resolve("*").toString(),
                main));
        command.addAll(List.of(args));
        return command;
    }

    private void awaitReady() throws InterruptedException {
        // Probing the port first keeps the admin client from logging a warning per refused connection.
        ReadinessProbe.await(broker, () -> FreePorts.isListening(port), READY_TIMEOUT, POLL_INTERVAL);
        try (Admin admin = admin()) {
            ReadinessProbe.await(broker, () -> !admin.describeCluster().nodes()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty(), READY_TIMEOUT, POLL_INTERVAL);
        }
    }

    /**
     * Kills the broker at once (SIGKILL), as a crash would: no controlled shutdown, its data left as
     * the kill found it. A separate controller keeps running. Returns once the process is gone.
     */
    public void kill() {
        broker.kill();
        killedAtNanos = System.nanoTime();
    }

    /**
     * Waits until the controller has fenced the killed broker's registration, so that the broker
     * restarts from metadata that names no partition leader and leads nothing until the controller
     * unfences it. Restarted before that, it would act as leader from stale metadata, as a broker that
     * is its own controller does (see {@link KafkaOptions#withSeparateController()}). The controller
     * fences a broker whose heartbeats stopped {@code broker.session.timeout.ms} (9 s) before; its
     * admin API does not say whether it has (describeCluster with fenced brokers is refused by a
     * controller), so this waits that long after the kill and a margin.
     */
    private void awaitFencedByController() throws InterruptedException {
        long fencedBy = killedAtNanos + FENCED_AFTER_KILL.toNanos();
        long left = fencedBy - System.nanoTime();
        if (left > 0) {
            LOG.info("Waiting {} ms for the controller to fence the killed broker before restarting it",
                    TimeUnit.NANOSECONDS.toMillis(left));
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }


    /**
     * Starts the broker again on the same ports and data, after {@link #kill} or {@link #close},
     * and waits until it answers. The data is not formatted afresh: topics, offsets and
     * transactions survive, as they do when a real broker restarts. With a separate controller it
     * first waits until the controller has fenced the killed broker, 12 s after the kill.
     *
     * @throws ChildProcessException if it is not ready within 60 s, e.g. because another process took its port
     */
    public void restart() throws InterruptedException {
        if (controller != null) {
            awaitFencedByController();
        }
        long startNanos = System.nanoTime();
        broker = ChildProcess.startJava("Kafka broker", brokerArgs(layout, options, config), workDir,
                workDir.resolve("broker-restart.log"));
        awaitReady();
        LOG.info("Kafka broker restarted at {} in {} ms (pid {})", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), broker.pid());
    }

    /** {@code "127.0.0.1:<port>"}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * @return {@code "127.0.0.1:<port>"} of the {@code SASL_SSL} listener
     * @throws IllegalStateException if the broker was started without one
     */
    public String secureBootstrapServers() {
        if (secureBootstrapServers == null) {
            throw new IllegalStateException("this broker was started without a SASL_SSL listener");
        }
        return secureBootstrapServers;
    }

    /** The broker's process id, for diagnostics. */
    public long pid() {
        return broker.pid();
    }

    /** The file that receives the broker's output. */
    public Path log() {
        return broker.log();
    }

    /**
     * Creates topics with replication factor 1 and waits until the broker has created them.
     *
     * @param partitionsByTopic the partition count of each topic to create
     * @throws IllegalStateException if a topic could not be created, e.g. because it exists
     */
    public void createTopics(Map<String, Integer> partitionsByTopic) throws InterruptedException {
        List<NewTopic> topics = partitionsByTopic.entrySet().stream()
                .map(topic -> new NewTopic(topic.getKey(), topic.getValue(), (short) 1))
                .toList();
        try (Admin admin = admin()) {
            admin.createTopics(topics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create topics " + partitionsByTopic.keySet() + " on "
                    + bootstrapServers, e);
        }
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "arenaflow-local-kafka",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()));
    }

    /**
     * Stops the broker, then a separate controller: SIGTERM for a clean shutdown, then a kill after
     * 15 s each. Returns once the processes have exited, also when another thread is closing them at
     * the same time; does nothing once they have exited.
     */
    @Override
    public void close() {
        broker.stop(STOP_GRACE);
        if (controller != null) {
            controller.stop(STOP_GRACE);
        }
    }
}
