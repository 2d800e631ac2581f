package dev.arenaflow.topology.registry;

import io.apicurio.registry.resolver.client.RegistryArtifactReference;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryVersionCoordinates;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.InterruptException;

/**
 * A registry client whose every call ends within a bound. Apicurio's client (Vert.x through Kiota)
 * waits for an answer without a limit, so a registry that accepts connections but never answers
 * would hold the calling stream thread for good. Here each call runs on a small pool of daemon
 * threads and the caller waits at most the bound; then the call is interrupted and fails with an
 * {@link HttpTimeoutException}, which {@link RegistryFailures#isOutage} counts as an outage, so
 * {@link PatientSerializer} waits it out like a refused connection.
 *
 * <p>An interrupted call frees its thread, but Vert.x keeps its request open on the connection
 * until the registry or the network closes it; Vert.x holds at most 5 connections per registry
 * and queues further requests behind them, and those queued requests time out here too.
 *
 * <p>Threading notes: any thread may call; at most {@value #THREADS} calls run at once, the others
 * wait in line (counting against their own bound).
 */
public final class TimedRegistryClient implements RegistryClientFacade {

    static final int THREADS = 4;

    private final RegistryClientFacade delegate;
    private final Duration timeout;
    private final String setting;
    private final ThreadPoolExecutor calls;

    /**
     * @param delegate Apicurio's client
     * @param timeout longest wait for one call
     * @param setting the setting the bound comes from, named in the failure
     */
    public TimedRegistryClient(RegistryClientFacade delegate, Duration timeout, String setting) {
        this.delegate = delegate;
        this.timeout = timeout;
        this.setting = setting;
        this.calls = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "arenaflow-registry-call");
                    thread.setDaemon(true);
                    return thread;
                });
        calls.allowCoreThreadTimeOut(true);
    }

    private <T> T timed(Supplier<T> call) {
        Future<T> future = calls.submit(call::get);
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new UncheckedIOException(new HttpTimeoutException("the schema registry did not answer within "
                    + timeout.toMillis() + " ms (" + setting + ")"));
        } catch (InterruptedException e) {
            future.cancel(true);
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public String getSchemaByContentId(Long contentId) {
        return timed(() -> delegate.getSchemaByContentId(contentId));
    }

    @Override
    public String getSchemaByGlobalId(long globalId, boolean dereference) {
        return timed(() -> delegate.getSchemaByGlobalId(globalId, dereference));
    }

    @Override
    public String getSchemaByGAV(String groupId, String artifactId, String version) {
        return timed(() -> delegate.getSchemaByGAV(groupId, artifactId, version));
    }

    @Override
    public String getSchemaByContentHash(String contentHash) {
        return timed(() -> delegate.getSchemaByContentHash(contentHash));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByContentId(long contentId) {
        return timed(() -> delegate.getReferencesByContentId(contentId));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByGlobalId(long globalId) {
        return timed(() -> delegate.getReferencesByGlobalId(globalId));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByGAV(String groupId, String artifactId, String version) {
        return timed(() -> delegate.getReferencesByGAV(groupId, artifactId, version));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByContentHash(String contentHash) {
        return timed(() -> delegate.getReferencesByContentHash(contentHash));
    }

    @Override
    public List<RegistryVersionCoordinates> searchVersionsByContent(String schema, String artifactType,
                                                                    ArtifactReference reference, boolean canonical) {
        return timed(() -> delegate.searchVersionsByContent(schema, artifactType, reference, canonical));
    }

    @Override
    public RegistryVersionCoordinates createSchema(String artifactType, String groupId, String artifactId,
                                                   String version, String autoCreateBehavior, boolean canonical,
                                                   String schema, Set<RegistryArtifactReference> references) {
        return timed(() -> delegate.createSchema(artifactType, groupId, artifactId, version, autoCreateBehavior,
                canonical, schema, references));
    }

    @Override
    public RegistryVersionCoordinates getVersionCoordinatesByGAV(String groupId, String artifactId, String version) {
        return timed(() -> delegate.getVersionCoordinatesByGAV(groupId, artifactId, version));
    }

    @Override
    public Object getClient() {
        return delegate.getClient();
    }
}
