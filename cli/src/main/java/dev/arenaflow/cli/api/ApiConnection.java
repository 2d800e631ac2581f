package dev.arenaflow.cli.api;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the API clients reach an instance: plaintext, or TLS trusting the certificates of a PEM file;
 * and, if the instance wants one ({@code arenaflow.grpc.token}), the bearer token each call carries.
 * The token is read from a file, so it never appears on a command line or in a process listing.
 */
public final class ApiConnection {

    /** Plaintext, without a token. */
    public static final ApiConnection PLAINTEXT = new ApiConnection(null, null);

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ChannelCredentials tls;
    private final String token;

    private ApiConnection(ChannelCredentials tls, String token) {
        this.tls = tls;
        this.token = token;
    }

    /**
     * @param caFile PEM certificates the server's must chain to, or null for plaintext
     * @param tokenFile a file whose first line is the token, or null for none
     * @return the connection
     * @throws IllegalArgumentException naming the option whose file cannot be read or is empty
     */
    public static ApiConnection of(Path caFile, Path tokenFile) {
        return new ApiConnection(caFile == null ? null : tls(caFile), tokenFile == null ? null : token(tokenFile));
    }

    /**
     * @param address the instance
     * @return a channel to it; shut it down when done
     */
    public ManagedChannel open(ApiAddress address) {
        return tls == null ? address.channel()
                : NettyChannelBuilder.forAddress(address.host(), address.port(), tls).build();
    }

    /**
     * @param stub a stub on a channel from {@link #open}
     * @return it, sending the token with every call if there is one
     */
    public <S extends AbstractStub<S>> S authorize(S stub) {
        return token == null ? stub : stub.withInterceptors(bearer(token));
    }

    private static ClientInterceptor bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    private static ChannelCredentials tls(Path caFile) {
        try {
            return TlsChannelCredentials.newBuilder().trustManager(caFile.toFile()).build();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--tls-ca " + caFile + " cannot be read as PEM certificates: "
                    + e.getMessage(), e);
        }
    }

    private static String token(Path tokenFile) {
        String text;
        try {
            text = Files.readString(tokenFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("--token-file " + tokenFile + " cannot be read: " + e, e);
        }
        String token = text.lines().findFirst().orElse("").strip();
        if (token.isEmpty()) {
            throw new IllegalArgumentException("--token-file " + tokenFile + " is empty");
        }
        return token;
    }
}
