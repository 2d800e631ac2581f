package dev.arenaflow.api;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Lets a call through only if its {@code authorization} header is {@code Bearer <token>};
 * otherwise ends it with {@code UNAUTHENTICATED} before the service sees it. The status names the
 * setting, never the token, and the comparison takes the same time whatever the guess.
 */
final class BearerTokenInterceptor implements ServerInterceptor {

    /** The header a client puts its token in. */
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String SCHEME = "Bearer ";

    private final byte[] expected;
    private final String setting;

    /**
     * @param token the token calls must carry
     * @param setting the setting it comes from, named to a client that lacks it
     */
    BearerTokenInterceptor(String token, String setting) {
        this.expected = (SCHEME + token).getBytes(StandardCharsets.UTF_8);
        this.setting = setting;
    }

    /** @return the header value that carries {@code token} */
    static String header(String token) {
        return SCHEME + token;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String given = headers.get(AUTHORIZATION);
        if (given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            return next.startCall(call, headers);
        }
        call.close(Status.UNAUTHENTICATED.withDescription(given == null
                ? "no bearer token: this API needs 'authorization: Bearer <token>' (" + setting + ")"
                : "wrong bearer token (" + setting + ")"), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
