package dev.arenaflow.cli;

import dev.arenaflow.api.ApiServer;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.SnapshotSerdes;
import java.util.Optional;

/**
 * One arenaflow instance as {@code run} and {@code demo} start it: the API layer's port bound
 * first (so {@code application.server} can name it), then the application, served by the API.
 * Closing ends the API's streams (each with a token to resume from) before Kafka Streams closes.
 */
final class Instance implements AutoCloseable {

    private final ApiServer api;
    private final ArenaflowApplication app;

    private Instance(ApiServer api, ArenaflowApplication app) {
        this.api = api;
        this.app = app;
    }

    /**
     * @param settings the validated settings
     * @return the instance, not started
     * @throws java.io.UncheckedIOException if the API's port cannot be bound
     */
    static Instance create(ArenaflowSettings settings) {
        ApiServer api = ApiServer.start(settings);
        try {
            ArenaflowSettings served = api == null ? settings : api.advertise(settings);
            ArenaflowApplication app = ArenaflowApplication.create(served, SnapshotSerdes.serializer(served.properties()));
            if (api != null) {
                api.serve(app);
            }
            return new Instance(api, app);
        } catch (RuntimeException e) {
            if (api != null) {
                api.close();
            }
            throw e;
        }
    }

    ArenaflowApplication app() {
        return app;
    }

    /** @return the API server, unless the API is off */
    Optional<ApiServer> api() {
        return Optional.ofNullable(api);
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
        app.close();
    }
}
