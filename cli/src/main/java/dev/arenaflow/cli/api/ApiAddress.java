package dev.arenaflow.cli.api;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An arenaflow instance's gRPC API, {@code HOST:PORT}, as the API clients take it.
 *
 * @param host its host name or address
 * @param port its port
 */
public record ApiAddress(String host, int port) {

    /** @return a plaintext channel to it; shut it down when done */
    public ManagedChannel channel() {
        return NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }

    /**
     * @param text {@code HOST:PORT}
     * @return the address
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static ApiAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no port number after the last ':'");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("'" + text + "' has port " + port + ", outside 1..65535");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new ApiAddress(host, port);
    }

    /** For picocli options. */
    public static final class Converter implements ITypeConverter<ApiAddress> {
        @Override
        public ApiAddress convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
