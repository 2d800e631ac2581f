package dev.arenaflow.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arenaflow.ops.internal.BearerTokenCheck;
import dev.arenaflow.ops.internal.ControlFollower;
import dev.arenaflow.ops.internal.HttpsConnector;
import dev.arenaflow.topology.tls.TlsIdentity;
import java.util.Optional;
import dev.arenaflow.ops.internal.PrometheusConventions;
import dev.arenaflow.ops.internal.MeterSums;
import dev.arenaflow.ops.internal.StatusReport;
import dev.arenaflow.topology.PluginMeterNames;
import dev.arenaflow.ops.internal.Throughput;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoint of one instance: one HTTP server on {@value ArenaflowConfig#HTTP_PORT}
 * and {@value ArenaflowConfig#HTTP_BIND_ADDRESS}, serving
 *
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format: the plugins' meters, Kafka Streams' own
 *       metrics and the JVM's;</li>
 *   <li>{@code GET /health/live} and {@code GET /health/ready}: 200 or 503 with JSON saying why
 *       ({@link Health});</li>
 *   <li>{@code GET /api/status}: the status as JSON;</li>
 *   <li>{@code GET /}: the status page, which polls {@code /api/status}; it loads nothing from
 *       outside the jar.</li>
 * </ul>
 *
 * Everything is read-only and shows no secret. Start it before the application, so liveness is
 * answered while topics are prepared; readiness waits for Kafka Streams.
 *
 * <p>Threading notes: {@link #start} and {@link #close} from the thread that runs the instance;
 * {@link #addReadinessCheck} from any thread; requests are served on the server's own threads.
 */
public final class OperationsEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OperationsEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(10);

    private final ArenaflowApplication app;
    private final List<HealthCheck.Named> readiness = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private volatile String url;
    private volatile StatusReport report;

    private OperationsEndpoint(ArenaflowApplication app) {
        this.app = app;
    }

    /**
     * @param applicationId tagged {@code application} on every meter
     * @return a registry for {@link ArenaflowApplication#create} and {@link #start}
     */
    public static PrometheusMeterRegistry newRegistry(String applicationId) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("application", applicationId).meterFilter(new PrometheusConventions());
        return registry;
    }

    /**
     * Starts the endpoint, unless its port is -1.
     *
     * @param app the instance, created with {@code registry}; started or not
     * @param registry the registry of the instance's meters; Kafka Streams and JVM meters are added to it
     * @return the running endpoint, or one that serves nothing
     * @throws io.javalin.util.JavalinBindException if the address cannot be bound
     */
    public static OperationsEndpoint start(ArenaflowApplication app, PrometheusMeterRegistry registry) {
        ArenaflowConfig config = app.settings().config();
        if (config.httpPort() < 0) {
            LOG.info("Operations endpoint off ({}=-1)", ArenaflowConfig.HTTP_PORT);
            return new OperationsEndpoint(app);
        }
        OperationsEndpoint ops = new OperationsEndpoint(app);
        Throughput throughput = new Throughput(registry);
        ControlFollower follower = new ControlFollower(app.settings());
        Optional<TlsIdentity> tls = TlsIdentity.http(config);
        Javalin server = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = config.httpBindAddress();
            c.jetty.port = config.httpPort();
            tls.ifPresent(identity -> c.jetty.addConnector((jetty, http) -> HttpsConnector.create(jetty, http,
                    identity, config.httpBindAddress(), config.httpPort())));
            if (config.httpToken() != null) {
                c.routes.before(new BearerTokenCheck(config.httpToken(), config.httpOpenPaths(),
                        ArenaflowConfig.HTTP_TOKEN));
            }
            c.jetty.threadPool = new QueuedThreadPool(16, 2, 60_000);
            c.staticFiles.add("/dev/arenaflow/ops/web", Location.CLASSPATH);
            c.staticFiles.enableWebjars();
            ops.routes(c.routes, registry);
        });
        try {
            server.start();
        } catch (RuntimeException e) {
            follower.close();
            throw e;
        }
        String host = config.httpBindAddress().equals("0.0.0.0") || config.httpBindAddress().equals("::")
                ? "localhost" : config.httpBindAddress();
        ops.url = (tls.isPresent() ? "https://" : "http://") + host + ":" + server.port() + "/";
        ops.closeables.add(server::stop);
        ops.bindMeters(registry);
        ops.readiness.add(new HealthCheck.Named("kafka-streams", () -> Health.streamsRunning(app.streams().state())));
        ops.readiness.add(new HealthCheck.Named("schema-registry", () -> Health.registryAnswers(app.registry())));
        ops.readiness.add(new HealthCheck.Named("plugins", () -> Health.noPluginStalled(
                MeterSums.byPlugin(registry, PluginMeterNames.STALLED))));
        ops.readiness.add(new HealthCheck.Named("http", () -> HealthCheck.Result.up("bound to "
                + config.httpBindAddress() + ":" + server.port())));
        ops.report = new StatusReport(app, registry, follower, throughput, ops.instance());
        follower.start();
        ops.closeables.add(follower);
        ops.sample(throughput);
        LOG.info("Operations endpoint on {}:{}: status page {}{}", config.httpBindAddress(), server.port(), ops.url,
                config.httpToken() == null ? "" : " (bearer token required except on " + config.httpOpenPaths() + ")");
        return ops;
    }

    /**
     * Adds a condition of readiness, e.g. that the gRPC server is bound.
     *
     * @param check its name and condition
     */
    public void addReadinessCheck(HealthCheck.Named check) {
        readiness.add(check);
    }

    /** @return the liveness verdict, as {@code /health/live} answers it */
    public Health.Verdict liveness() {
        return Health.live(app.streams().state(), app.threadDied());
    }

    /** @return the readiness verdict, as {@code /health/ready} answers it */
    public Health.Verdict readiness() {
        return Health.ready(readiness);
    }

    /** @return true if the server runs */
    public boolean enabled() {
        return url != null;
    }

    /** @return the status page's address, e.g. {@code http://127.0.0.1:8080/}; null if off */
    public String url() {
        return url;
    }

    private void routes(io.javalin.config.RoutesConfig routes, PrometheusMeterRegistry registry) {
        routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()));
        routes.get("/health/live", ctx -> verdict(ctx, liveness()));
        routes.get("/health/ready", ctx -> verdict(ctx, readiness()));
        routes.get("/api/status", ctx -> {
            StatusReport now = report;
            if (now == null) {
                ctx.status(503).result("starting");
            } else {
                json(ctx, 200, now.build(readiness()));
            }
        });
    }

    private static void verdict(Context ctx, Health.Verdict verdict) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", verdict.up() ? "UP" : "DOWN");
        ObjectNode checks = root.putObject("checks");
        verdict.items().forEach(i -> checks.putObject(i.name()).put("ok", i.result().ok())
                .put("reason", i.result().reason()));
        json(ctx, verdict.httpStatus(), root);
    }

    private static void json(Context ctx, int status, ObjectNode body) {
        ctx.status(status).header("Cache-Control", "no-store").contentType("application/json")
                .result(body.toString());
    }

    private void bindMeters(PrometheusMeterRegistry registry) {
        ScheduledExecutorService kafkaRefresh = Executors.newSingleThreadScheduledExecutor(
                daemon("arenaflow-ops-kafka-metrics"));
        closeables.add(kafkaRefresh::shutdownNow);
        KafkaStreamsMetrics streams = new KafkaStreamsMetrics(app.streams(), Tags.empty(), kafkaRefresh,
                KAFKA_METRICS_REFRESH);
        JvmGcMetrics gc = new JvmGcMetrics();
        List<MeterBinder> binders = List.of(streams, gc, new JvmMemoryMetrics(), new JvmThreadMetrics(),
                new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics());
        binders.forEach(b -> b.bindTo(registry));
        closeables.add(streams);
        closeables.add(gc);
    }

    private void sample(Throughput throughput) {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(daemon("arenaflow-ops-sampler"));
        sampler.scheduleAtFixedRate(() -> throughput.sample(System.currentTimeMillis()), 0, 1, TimeUnit.SECONDS);
        closeables.add(sampler::shutdownNow);
    }

    private Map<String, Object> instance() {
        Map<String, Object> instance = new LinkedHashMap<>();
        instance.put("host", hostName());
        instance.put("pid", ProcessHandle.current().pid());
        instance.put("http", url);
        String server = app.settings().properties().getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
        if (server != null) {
            instance.put("application_server", server);
        }
        return instance;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops the server and the meters' helpers, last started first. Idempotent. */
    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                LOG.warn("Closing the operations endpoint: {}", e.toString());
            }
        }
        closeables.clear();
    }
}
