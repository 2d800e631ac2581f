package dev.arenaflow.api;

import dev.arenaflow.api.latest.LatestSnapshots;
import dev.arenaflow.api.v1.GetLatestRequest;
import dev.arenaflow.api.v1.Snapshot;
import dev.arenaflow.api.v1.SnapshotServiceGrpc;
import dev.arenaflow.api.v1.WhyReply;
import dev.arenaflow.api.v1.WhyRequest;
import dev.arenaflow.api.why.WhyAnswers;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Forwarding between instances: a {@code GetLatest} request goes to the owner, a {@code Why}
 * request to each other instance, with a header naming this instance, within the client's deadline
 * and at most the forward timeout; the instance asked does not forward it again. One channel per
 * other instance, kept open.
 */
final class Forwarding implements LatestSnapshots.Owner, WhyAnswers.Peers, AutoCloseable {

    static final Metadata.Key<String> HEADER = Metadata.Key.of("arenaflow-forwarded-by", Metadata.ASCII_STRING_MARSHALLER);
    /** The instance that forwarded the current request, or null. */
    static final Context.Key<String> FORWARDED_BY = Context.key("arenaflow-forwarded-by");

    private final Supplier<String> self;
    private final long timeoutMs;
    private final Map<HostInfo, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Function<HostInfo, ManagedChannel> connect;
    /** The token the other instances want, the same as this one's; null if none. */
    private final String token;

    /**
     * @param self this instance, {@code host:port}, named in the header
     * @param timeoutMs longest wait for the owner
     * @param connect opens a channel to an instance
     */
    Forwarding(Supplier<String> self, long timeoutMs, Function<HostInfo, ManagedChannel> connect) {
        this(self, timeoutMs, connect, null);
    }

    /**
     * @param token bearer token to send the owner, or null
     */
    Forwarding(Supplier<String> self, long timeoutMs, Function<HostInfo, ManagedChannel> connect, String token) {
        this.self = self;
        this.timeoutMs = timeoutMs;
        this.connect = connect;
        this.token = token;
    }

    /** Plaintext channels over Netty. */
    static ManagedChannel plaintext(HostInfo host) {
        return NettyChannelBuilder.forAddress(host.host(), host.port()).usePlaintext().build();
    }

    /**
     * @param trusted PEM certificates the other instances' certificates must chain to
     * @return a factory of TLS channels over Netty trusting them
     */
    static Function<HostInfo, ManagedChannel> tls(java.nio.file.Path trusted) {
        io.grpc.ChannelCredentials credentials;
        try {
            credentials = io.grpc.TlsChannelCredentials.newBuilder().trustManager(trusted.toFile()).build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + trusted + " as trusted certificates", e);
        }
        return host -> NettyChannelBuilder.forAddress(host.host(), host.port(), credentials).build();
    }

    @Override
    public Snapshot ask(HostInfo host, GetLatestRequest request) {
        try {
            return SnapshotServiceGrpc.newBlockingStub(channel(host)).withDeadline(deadline())
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers())).getLatest(request);
        } catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            if (status.getCode() == Status.Code.DEADLINE_EXCEEDED || status.getCode() == Status.Code.UNAVAILABLE
                    || status.getCode() == Status.Code.CANCELLED) {
                throw Status.UNAVAILABLE.withDescription("the owner of source '" + request.getSource() + "', "
                        + host.host() + ":" + host.port() + ", did not answer: " + status.getCode()
                        + (status.getDescription() == null ? "" : " " + status.getDescription())).asRuntimeException();
            }
            throw e;
        }
    }

    @Override
    public CompletableFuture<WhyReply> why(HostInfo host, WhyRequest request) {
        CompletableFuture<WhyReply> reply = new CompletableFuture<>();
        SnapshotServiceGrpc.newStub(channel(host)).withDeadline(deadline())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers()))
                .why(request, new StreamObserver<>() {
                    @Override
                    public void onNext(WhyReply value) {
                        reply.complete(value);
                    }

                    @Override
                    public void onError(Throwable failure) {
                        reply.completeExceptionally(failure);
                    }

                    @Override
                    public void onCompleted() {
                        reply.completeExceptionally(Status.INTERNAL.withDescription("no reply").asRuntimeException());
                    }
                });
        return reply;
    }

    private ManagedChannel channel(HostInfo host) {
        return channels.computeIfAbsent(host, connect);
    }

    /** The forward timeout from now, or the client's deadline if sooner. */
    private Deadline deadline() {
        Deadline deadline = Deadline.after(timeoutMs, TimeUnit.MILLISECONDS);
        Deadline client = Context.current().getDeadline();
        return client == null ? deadline : deadline.minimum(client);
    }

    /** The header naming this instance, and the bearer token if there is one. */
    private Metadata headers() {
        Metadata headers = new Metadata();
        headers.put(HEADER, self.get());
        if (token != null) {
            headers.put(BearerTokenInterceptor.AUTHORIZATION, BearerTokenInterceptor.header(token));
        }
        return headers;
    }

    /** Puts the forwarding header, if any, into the request's context. */
    static ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                String by = headers.get(HEADER);
                return by == null ? next.startCall(call, headers)
                        : Contexts.interceptCall(Context.current().withValue(FORWARDED_BY, by), call, headers, next);
            }
        };
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
