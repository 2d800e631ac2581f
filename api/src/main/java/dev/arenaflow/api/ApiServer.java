package dev.arenaflow.api;

import dev.arenaflow.api.latest.LatestSnapshots;
import dev.arenaflow.api.latest.StoreView;
import dev.arenaflow.api.subscribe.Subscriptions;
import dev.arenaflow.api.why.LocalTasks;
import dev.arenaflow.api.why.WhyAnswers;
import dev.arenaflow.api.v1.SnapshotServiceGrpc;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.ArenaflowTopology;
import dev.arenaflow.topology.SnapshotSerdes;
import dev.arenaflow.topology.tls.TlsIdentity;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.TlsServerCredentials;
import java.util.List;
import java.util.Optional;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.StreamsMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API layer of one instance: a gRPC server with {@code arenaflow.v1.SnapshotService}
 * (latest snapshots, snapshot streams, and why a source is not done),
 * {@code grpc.health.v1.Health} (serving while Kafka Streams is RUNNING) and server reflection.
 *
 * <p>Its life: {@link #start} binds the port (so a port of 0 is known), {@link #advertise} puts
 * {@code application.server} into the settings unless the user set it, {@link #serve} attaches the
 * application before it starts, and {@link #close} ends every stream with a token to resume from,
 * then stops the server.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final Duration DRAIN = Duration.ofSeconds(10);
    /** Longest wait for this instance's tasks to say what they hold of a source. */
    private static final Duration LOCAL_WAIT = Duration.ofSeconds(5);
    private static final int MAX_REQUEST_BYTES = 256 * 1024;
    static final String SUBSCRIBERS = "arenaflow.api.subscribers";
    private static final int MAX_CALLS_PER_CONNECTION = 1_000;
    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]", "*");

    private final String host;
    private final int requestedPort;
    private final ArenaflowConfig config;
    private final Properties props;
    private final HealthStatusManager health = new HealthStatusManager();
    private final LatestSnapshots latest;
    private final Subscriptions subscriptions;
    private final WhyAnswers why;
    private final Forwarding forwarding;
    private final Server server;
    private final CallMeter calls = new CallMeter();
    /** This instance as others reach it; known once the port is bound. */
    private volatile HostInfo self;
    /** The application's stores; null until {@link #serve}. */
    private volatile StoreView stores;
    /** The application's tasks; null until {@link #serve}. */
    private volatile LocalTasks.View tasks;
    /** The application; null until {@link #serve}. */
    private volatile ArenaflowApplication app;

    private ApiServer(ArenaflowSettings settings) {
        this.config = settings.config();
        this.props = settings.properties();
        this.host = config.getString(ArenaflowConfig.GRPC_HOST);
        this.requestedPort = config.getInt(ArenaflowConfig.GRPC_PORT);
        Map<String, String> topics = new LinkedHashMap<>();
        config.pluginNames().forEach(p -> topics.put(p, config.snapshotTopic(p)));
        Optional<TlsIdentity> tls = TlsIdentity.grpc(config);
        this.forwarding = new Forwarding(() -> self.host() + ":" + self.port(),
                config.getLong(ArenaflowConfig.GRPC_FORWARD_TIMEOUT_MS),
                tls.map(t -> Forwarding.tls(t.certificateFile())).orElse(Forwarding::plaintext), config.grpcToken());
        this.latest = new LatestSnapshots(() -> stores, () -> self, topics, this::converter, forwarding);
        Duration forwardTimeout = Duration.ofMillis(config.getLong(ArenaflowConfig.GRPC_FORWARD_TIMEOUT_MS));
        this.why = new WhyAnswers(new LocalTasks(() -> tasks, () -> self, LOCAL_WAIT), this::instances, () -> self,
                forwarding, forwardTimeout);
        this.subscriptions = new Subscriptions(new Subscriptions.Settings(topics,
                config.getInt(ArenaflowConfig.GRPC_MAX_SUBSCRIBERS), config.getInt(ArenaflowConfig.GRPC_SUBSCRIBER_BUFFER),
                Duration.ofMillis(config.getLong(ArenaflowConfig.GRPC_SUBSCRIBER_STALL_MS))),
                () -> new KafkaConsumer<>(consumerConfig(props), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                this::converter);
        health.setStatus("", ServingStatus.NOT_SERVING);
        health.setStatus(SnapshotServiceGrpc.SERVICE_NAME, ServingStatus.NOT_SERVING);
        InetSocketAddress address = new InetSocketAddress(host, requestedPort);
        NettyServerBuilder builder = tls.isEmpty() ? NettyServerBuilder.forAddress(address)
                : NettyServerBuilder.forAddress(address, TlsServerCredentials.newBuilder()
                        .keyManager(tls.get().keyManagers()).build());
        List<ServerInterceptor> guard = guard(config.grpcToken());
        this.server = builder
                .addService(ServerInterceptors.intercept(ServerInterceptors.intercept(
                        new SnapshotApi(topics.keySet(), latest, subscriptions, why), Forwarding.interceptor(), calls), guard))
                // Open without a token: Kubernetes' gRPC probes and load balancers send none.
                .addService(health.getHealthService())
                .addService(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), guard))
                // Requests are a plugin, sources and a token: a client sending megabytes is not one.
                .maxInboundMessageSize(MAX_REQUEST_BYTES)
                // One connection cannot open calls without end; Subscribe streams have their own limit.
                .maxConcurrentCallsPerConnection(MAX_CALLS_PER_CONNECTION)
                .build();
    }

    /** The token check, outermost, so a call without the token is counted nowhere and reaches nothing. */
    private static List<ServerInterceptor> guard(String token) {
        return token == null ? List.of() : List.of(new BearerTokenInterceptor(token, ArenaflowConfig.GRPC_TOKEN));
    }

    /**
     * Binds the API's port, unless the API is off.
     *
     * @param settings the validated settings
     * @return the bound server, not serving answers until {@link #serve}; or null if
     *     {@value ArenaflowConfig#GRPC_PORT} is -1
     * @throws UncheckedIOException if the port cannot be bound, naming it
     */
    public static ApiServer start(ArenaflowSettings settings) {
        if (!settings.config().apiEnabled()) {
            return null;
        }
        ApiServer api = new ApiServer(settings);
        api.bind();
        return api;
    }

    private void bind() {
        try {
            server.start();
        } catch (IOException e) {
            subscriptions.close();
            latest.close();
            throw new UncheckedIOException("cannot serve the gRPC API on " + host + ":" + requestedPort + " ("
                    + ArenaflowConfig.GRPC_HOST + ", " + ArenaflowConfig.GRPC_PORT + "): " + e.getMessage(), e);
        }
        self = advertisedAs(props, config, server.getPort());
        LOG.info("gRPC API listening on {}:{} ({}{}), advertised to other instances as {}:{}", host, server.getPort(),
                TlsIdentity.grpc(config).isPresent() ? "TLS" : "plaintext",
                config.grpcToken() == null ? "" : ", bearer token required", self.host(), self.port());
    }

    /**
     * @param settings the settings the server was started with
     * @return them with {@code application.server} naming this server, unless the user set it
     */
    public ArenaflowSettings advertise(ArenaflowSettings settings) {
        if (settings.properties().containsKey(StreamsConfig.APPLICATION_SERVER_CONFIG)) {
            return settings;
        }
        return settings.with(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
    }

    /**
     * Answers from this application from now on; health follows its state. Call before it starts.
     *
     * @param app the application, created with the {@link #advertise advertised} settings
     */
    public void serve(ArenaflowApplication app) {
        app.onStateChange((now, before) -> health(now));
        stores = StoreView.of(app.streams());
        tasks = LocalTasks.View.of(app, Set.copyOf(config.inputTopics()));
        this.app = app;
        health(app.streams().state());
    }

    /** @return every instance of the application, as Kafka Streams' metadata lists them */
    private Collection<HostInfo> instances() {
        ArenaflowApplication attached = app;
        if (attached == null) {
            throw new IllegalStateException("this instance is starting");
        }
        return attached.streams().metadataForAllStreamsClients().stream().map(StreamsMetadata::hostInfo).toList();
    }

    private void health(KafkaStreams.State state) {
        ServingStatus status = state == KafkaStreams.State.RUNNING ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        health.setStatus("", status);
        health.setStatus(SnapshotServiceGrpc.SERVICE_NAME, status);
    }

    /** @return the port bound */
    public int port() {
        return server.getPort();
    }

    /** @return the address other instances and clients use, {@code host:port} */
    public String address() {
        return self.host() + ":" + self.port();
    }

    /**
     * Reports the API in the application's meters: calls by method and status code
     * ({@value CallMeter#NAME}) and the open Subscribe streams ({@value #SUBSCRIBERS}).
     *
     * @param meters the registry {@code /metrics} serves
     */
    public void bindMeters(MeterRegistry meters) {
        Gauge.builder(SUBSCRIBERS, subscriptions, Subscriptions::active)
                .description("Subscribe streams open on this instance").register(meters);
        calls.bind(meters);
    }

    /** @return true while the server is bound and taking calls */
    public boolean bound() {
        return !server.isShutdown();
    }

    /** @return Subscribe streams open now */
    public int subscribers() {
        return subscriptions.active();
    }

    /**
     * Ends every stream with {@code UNAVAILABLE} and its resume token, stops taking calls, and
     * waits a while for calls under way. Idempotent; a shutdown hook and the main thread may both call it.
     */
    @Override
    public synchronized void close() {
        if (server.isShutdown()) {
            return;
        }
        LOG.info("Stopping the gRPC API: ending {} subscriber streams", subscriptions.active());
        health.enterTerminalState();
        subscriptions.close();
        server.shutdown();
        try {
            if (!server.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        forwarding.close();
        latest.close();
    }

    private static HostInfo advertisedAs(Properties props, ArenaflowConfig config, int port) {
        Object explicit = props.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        if (explicit != null) {
            return HostInfo.buildFromEndpoint(explicit.toString());
        }
        String advertised = config.getString(ArenaflowConfig.GRPC_ADVERTISED_HOST);
        if (advertised.isBlank()) {
            String host = config.getString(ArenaflowConfig.GRPC_HOST);
            advertised = WILDCARDS.contains(host) ? localName() : host;
        }
        return new HostInfo(advertised, port);
    }

    private static String localName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private SnapshotConverter converter(String plugin) {
        Deserializer<Object> values = SnapshotSerdes.deserializer(props, false);
        return new SnapshotConverter(plugin, values);
    }

    /**
     * The subscribers' consumers: the application's own client settings (security included) as
     * Kafka Streams gives them to its global consumer, without a group, read_committed, and never
     * resetting a position silently.
     */
    static Map<String, Object> consumerConfig(Properties props) {
        StreamsConfig streams = new StreamsConfig(ArenaflowTopology.streamsProperties(props));
        Map<String, Object> config = new java.util.HashMap<>(streams.getGlobalConsumerConfigs(
                streams.getString(StreamsConfig.APPLICATION_ID_CONFIG) + "-api"));
        config.keySet().removeIf(k -> k.startsWith("group.") || k.startsWith("internal."));
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.remove(ConsumerConfig.CLIENT_ID_CONFIG);
        return config;
    }
}
