package dev.arenaflow.cli.api;

import dev.arenaflow.cli.io.KafkaSecurityFailure;
import io.grpc.Status;
import javax.net.ssl.SSLException;

/**
 * Says in one line why a call to an instance's API ended without an answer, naming the option to
 * check when the client's own security settings are at fault: a server certificate that
 * {@code --tls-ca} does not trust (no retry can fix it, so exit status 3, as for a Kafka client
 * whose trust store does not trust the broker) or a token the server refused ({@code UNAUTHENTICATED},
 * exit status 1 like every other gRPC status). The line quotes the status and the TLS library's
 * message, never the token.
 */
public final class ApiFailure {

    /** Exit status of a call that ended with a gRPC status. */
    public static final int EXIT_STATUS = 1;

    /**
     * What to print and the exit status.
     *
     * @param line one line, without the command's name
     * @param exitStatus the command's exit status
     */
    public record Verdict(String line, int exitStatus) {
    }

    private ApiFailure() {
    }

    /**
     * @param status how the call ended, not OK
     * @param address the instance called
     * @return the line and exit status
     */
    public static Verdict describe(Status status, ApiAddress address) {
        SSLException tls = tlsFailure(status);
        if (tls != null) {
            return new Verdict("TLS handshake with " + address + " failed (" + rootMessage(tls) + "): check --tls-ca; it "
                    + "must hold the server's certificate (its arenaflow.grpc.tls.cert.file) or the CA that signed it, "
                    + "and that certificate must name the host in --api", KafkaSecurityFailure.EXIT_STATUS);
        }
        String line = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription())
                + " (from " + address + ")";
        if (status.getCode() == Status.Code.UNAUTHENTICATED) {
            line += ": check --token-file; its first line must be the server's arenaflow.grpc.token";
        }
        return new Verdict(line, EXIT_STATUS);
    }

    /**
     * @param status how a call ended
     * @return whether the client's own security settings failed it, so that calling again cannot help
     */
    public static boolean isSecurityFailure(Status status) {
        return status.getCode() == Status.Code.UNAUTHENTICATED || tlsFailure(status) != null;
    }

    private static SSLException tlsFailure(Status status) {
        for (Throwable t = status.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
