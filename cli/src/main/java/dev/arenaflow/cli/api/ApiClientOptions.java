package dev.arenaflow.cli.api;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of {@code get} and {@code watch} that secure their connection, as a picocli mixin. */
public final class ApiClientOptions {

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "Connect over TLS, trusting the PEM certificates in FILE (the server's "
                    + "arenaflow.grpc.tls.cert.file, or the CA that signed it). Default: plaintext.")
    Path tlsCa;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Send the bearer token on the first line of FILE with every call (the server's "
                    + "arenaflow.grpc.token).")
    Path tokenFile;

    /**
     * @return the connection these options ask for
     * @throws IllegalArgumentException naming the option whose file cannot be used
     */
    public ApiConnection connection() {
        return ApiConnection.of(tlsCa, tokenFile);
    }
}
