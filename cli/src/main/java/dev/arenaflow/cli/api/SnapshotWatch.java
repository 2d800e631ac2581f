package dev.arenaflow.cli.api;

import dev.arenaflow.api.v1.SnapshotEvent;
import dev.arenaflow.api.v1.SnapshotServiceGrpc;
import dev.arenaflow.api.v1.StartPosition;
import dev.arenaflow.api.v1.SubscribeRequest;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A client of {@code Subscribe} that keeps its place: it remembers the token of every event, and
 * when a stream ends with a status a client can resume from ({@code UNAVAILABLE}: the server went
 * away or shut down; {@code RESOURCE_EXHAUSTED}: this client fell behind), it can subscribe again,
 * on the next of its addresses, from that token, so it sees every snapshot once.
 *
 * <p>Threading notes: {@link #run} blocks its caller; {@link #stop} may be called from any thread.
 */
public final class SnapshotWatch {

    /** Name of the trailer with the token to resume from, as the server sends it. */
    public static final Metadata.Key<String> TOKEN_TRAILER =
            Metadata.Key.of("arenaflow-resume-token", Metadata.ASCII_STRING_MARSHALLER);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /**
     * How a watch ended.
     *
     * @param status the last stream's status
     * @param token the token to resume from, or null if no event was seen and none was given
     * @param address the instance of the last stream
     */
    public record End(Status status, String token, ApiAddress address) {
    }

    private final List<ApiAddress> addresses;
    private final String plugin;
    private final List<String> sources;
    private final boolean reconnect;
    private final Consumer<String> log;
    private volatile Context.CancellableContext current;
    private volatile boolean stopped;
    private volatile String token;
    private final StartPosition from;
    private final ApiConnection connection;

    /**
     * @param addresses instances to use, in turn when one fails
     * @param plugin the plugin
     * @param sources only these sources; empty for all
     * @param start {@code latest}, {@code earliest} or a resume token
     * @param reconnect whether to resume by itself when a stream ends with a resumable status
     * @param log where to say what happens (reconnects)
     */
    public SnapshotWatch(List<ApiAddress> addresses, String plugin, List<String> sources, String start,
                         boolean reconnect, Consumer<String> log) {
        this(addresses, ApiConnection.PLAINTEXT, plugin, sources, start, reconnect, log);
    }

    /**
     * A watch over a secured connection; the other parameters as in the plaintext constructor.
     *
     * @param connection TLS and token for every address
     */
    public SnapshotWatch(List<ApiAddress> addresses, ApiConnection connection, String plugin, List<String> sources,
                         String start, boolean reconnect, Consumer<String> log) {
        this.connection = connection;
        this.addresses = List.copyOf(addresses);
        this.plugin = plugin;
        this.sources = List.copyOf(sources);
        this.reconnect = reconnect;
        this.log = log;
        if ("latest".equalsIgnoreCase(start)) {
            this.from = StartPosition.LATEST;
        } else if ("earliest".equalsIgnoreCase(start)) {
            this.from = StartPosition.EARLIEST;
        } else {
            this.from = null;
            this.token = start;
        }
    }

    /** @return the token to resume from: of the last event seen, or the start given */
    public String token() {
        return token;
    }

    /**
     * Streams until stopped, or until a stream ends with a status it does not (or may not) resume from.
     *
     * @param events each event, on the caller's thread
     * @return how it ended; {@code CANCELLED} after {@link #stop}
     */
    public End run(Consumer<SnapshotEvent> events) throws InterruptedException {
        int next = 0;
        long backoffMs = 100;
        while (true) {
            ApiAddress address = addresses.get(next % addresses.size());
            Status status = stream(address, events);
            if (stopped) {
                return new End(Status.CANCELLED, token, address);
            }
            // A server certificate --tls-ca does not trust fails as UNAVAILABLE too, but no other server will do better.
            boolean resumable = (status.getCode() == Status.Code.UNAVAILABLE && !ApiFailure.isSecurityFailure(status))
                    || status.getCode() == Status.Code.RESOURCE_EXHAUSTED;
            if (!reconnect || !resumable || token == null) {
                return new End(status, token, address);
            }
            next++;
            log.accept("stream from " + address + " ended (" + status.getCode()
                    + (status.getDescription() == null ? "" : ": " + status.getDescription()) + "); resuming on "
                    + addresses.get(next % addresses.size()) + " in " + backoffMs + " ms");
            TimeUnit.MILLISECONDS.sleep(backoffMs);
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
        }
    }

    private Status stream(ApiAddress address, Consumer<SnapshotEvent> events) {
        ManagedChannel channel = connection.open(address);
        Context.CancellableContext context = Context.current().withCancellation();
        current = context;
        try {
            if (stopped) {
                return Status.CANCELLED;
            }
            return context.call(() -> {
                SubscribeRequest.Builder request = SubscribeRequest.newBuilder().setPlugin(plugin).addAllSources(sources);
                if (token != null) {
                    request.setResumeToken(token);
                } else {
                    request.setFrom(from);
                }
                try {
                    Iterator<SnapshotEvent> stream = connection.authorize(SnapshotServiceGrpc.newBlockingStub(channel))
                            .subscribe(request.build());
                    while (stream.hasNext()) {
                        SnapshotEvent event = stream.next();
                        if (stopped) {
                            // Events already on their way after stop() are not seen, so the token stays at the last seen.
                            return Status.CANCELLED;
                        }
                        token = event.getResumeToken();
                        events.accept(event);
                    }
                    return Status.OK;
                } catch (StatusRuntimeException e) {
                    String trailer = e.getTrailers() == null ? null : e.getTrailers().get(TOKEN_TRAILER);
                    if (trailer != null) {
                        token = trailer;
                    }
                    return e.getStatus();
                }
            });
        } catch (Exception e) {
            return Status.fromThrowable(e);
        } finally {
            context.cancel(null);
            channel.shutdownNow();
        }
    }

    /** Ends the stream under way and the watch. */
    public void stop() {
        stopped = true;
        Context.CancellableContext context = current;
        if (context != null) {
            context.cancel(null);
        }
    }
}
