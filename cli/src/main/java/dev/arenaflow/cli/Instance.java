package dev.arenaflow.cli;

import dev.arenaflow.api.ApiServer;
import dev.arenaflow.ops.HealthCheck;
import dev.arenaflow.ops.OperationsEndpoint;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.SnapshotSerdes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One arenaflow instance as {@code run} and {@code demo} start it: the API layer's port bound
 * first (so {@code application.server} can name it), then the application, served by the API, and
 * the operations endpoint, ready only while the API is bound too. Closing ends the API's streams
 * (each with a token to resume from) before Kafka Streams closes, and the endpoint last.
 */
final class Instance implements AutoCloseable {

    /** A server of the instance could not be started; the message names the address and its settings. */
    static final class StartFailure extends RuntimeException {
        StartFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ApiServer api;
    private final ArenaflowApplication app;
    private final OperationsEndpoint ops;

    private Instance(ApiServer api, ArenaflowApplication app, OperationsEndpoint ops) {
        this.api = api;
        this.app = app;
        this.ops = ops;
    }

    /**
     * @param settings the validated settings
     * @return the instance, not started
     * @throws StartFailure if the API's or the endpoint's port cannot be bound
     */
    static Instance create(ArenaflowSettings settings) {
        ApiServer api;
        try {
            api = ApiServer.start(settings);
        } catch (java.io.UncheckedIOException e) {
            throw new StartFailure(e.getMessage(), e);
        }
        ArenaflowApplication app = null;
        try {
            ArenaflowSettings served = api == null ? settings : api.advertise(settings);
            PrometheusMeterRegistry meters = OperationsEndpoint.newRegistry(
                    served.properties().getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
            app = ArenaflowApplication.create(served, SnapshotSerdes.serializer(served.properties()), meters);
            if (api != null) {
                api.serve(app);
                api.bindMeters(meters);
            }
            OperationsEndpoint ops = startEndpoint(app, meters);
            if (api != null) {
                String address = api.address();
                ops.addReadinessCheck(new HealthCheck.Named("grpc", () -> api.bound()
                        ? HealthCheck.Result.up("bound, advertised as " + address)
                        : HealthCheck.Result.down("the gRPC server is shut down")));
            }
            return new Instance(api, app, ops);
        } catch (RuntimeException e) {
            if (api != null) {
                api.close();
            }
            if (app != null) {
                app.close();
            }
            throw e;
        }
    }

    private static OperationsEndpoint startEndpoint(ArenaflowApplication app, PrometheusMeterRegistry meters) {
        try {
            return OperationsEndpoint.start(app, meters);
        } catch (RuntimeException e) {
            ArenaflowConfig config = app.settings().config();
            throw new StartFailure("cannot serve the operations endpoint on " + config.httpBindAddress() + ":"
                    + config.httpPort() + " (" + ArenaflowConfig.HTTP_BIND_ADDRESS + ", " + ArenaflowConfig.HTTP_PORT
                    + "): " + e.getMessage(), e);
        }
    }

    ArenaflowApplication app() {
        return app;
    }

    /** @return the API server, unless the API is off */
    Optional<ApiServer> api() {
        return Optional.ofNullable(api);
    }

    OperationsEndpoint ops() {
        return ops;
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
        app.close();
        ops.close();
    }
}
