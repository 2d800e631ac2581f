package dev.arenaflow.cli.io;

import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Recognises a Kafka client failure that no retry can fix because the client's security settings
 * are wrong (a refused SASL login, a broker certificate the trust store does not trust), and says so
 * in one line naming the settings to check. The line quotes only the client's own message, which
 * names mechanisms and certificate problems, never a password or a JAAS config.
 */
public final class KafkaSecurityFailure {

    /** Exit status of every command whose Kafka client could not authenticate or set up TLS. */
    public static final int EXIT_STATUS = 3;

    private KafkaSecurityFailure() {
    }

    /**
     * @param failure what a Kafka client threw or reported, or null
     * @return one line saying what failed and which settings to check, if it was authentication or TLS
     */
    public static Optional<String> describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SslAuthenticationException || t instanceof SSLHandshakeException) {
                return Optional.of("TLS handshake with the broker failed (" + rootMessage(t) + "): check "
                        + "ssl.truststore.location and ssl.truststore.password; the broker's certificate must be "
                        + "trusted by that trust store and name the host in bootstrap.servers");
            }
            if (t instanceof SaslAuthenticationException) {
                return Optional.of("the broker refused the SASL login (" + oneLine(t.getMessage()) + "): check the "
                        + "user name and password in sasl.jaas.config, and sasl.mechanism");
            }
            if (t instanceof AuthenticationException) {
                return Optional.of("authentication with the broker failed (" + oneLine(t.getMessage()) + "): check "
                        + "security.protocol, sasl.mechanism, sasl.jaas.config and ssl.truststore.location");
            }
        }
        return Optional.empty();
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return oneLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }

    private static String oneLine(String text) {
        return text == null ? "no detail" : text.replaceAll("\\s+", " ").trim();
    }
}
