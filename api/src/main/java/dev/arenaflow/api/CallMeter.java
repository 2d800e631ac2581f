package dev.arenaflow.api;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts the API's calls as they end, by method and status code ({@value #NAME}, tags
 * {@code method}, {@code code}), so an operator sees {@code UNAVAILABLE} answers during a
 * rebalance and subscribers ended with {@code RESOURCE_EXHAUSTED}.
 *
 * <p>Threading notes: gRPC closes calls on its own threads; meters are thread-safe. Counts
 * nothing until a registry is bound.
 */
final class CallMeter implements ServerInterceptor {

    static final String NAME = "arenaflow.api.calls";

    private volatile MeterRegistry registry;

    void bind(MeterRegistry meters) {
        this.registry = meters;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                MeterRegistry meters = registry;
                if (meters != null) {
                    Counter.builder(NAME).description("API calls ended, by method and status code")
                            .tag("method", method == null ? "unknown" : method)
                            .tag("code", status.getCode().name())
                            .register(meters).increment();
                }
                super.close(status, trailers);
            }
        }, headers);
    }
}
