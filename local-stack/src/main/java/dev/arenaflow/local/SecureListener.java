package dev.arenaflow.local;

import java.util.Map;

/**
 * A {@code SASL_SSL} listener of a {@link LocalKafka} broker, beside its {@code PLAINTEXT} one:
 * SCRAM-SHA-512 over TLS, with one user created when the storage is formatted.
 *
 * @param certificate the broker's certificate and key store
 * @param user the SCRAM user's name
 * @param password the SCRAM user's password; letters and digits only, as it is passed to the storage tool inline
 */
public record SecureListener(LocalCertificate certificate, String user, String password) {

    /** The listener's name in {@code server.properties}. */
    static final String NAME = "SASL_SSL";
    /** The only mechanism the listener offers. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    public SecureListener {
        if (!user.matches("[A-Za-z0-9-]+") || !password.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("the SCRAM user and password must be letters, digits and dashes");
        }
    }

    /** @return the storage tool's {@code --add-scram} value that creates the user */
    String scramCredential() {
        return MECHANISM + "=[name=" + user + ",password=" + password + "]";
    }

    /** @return the broker settings of the listener, to put beside the others */
    Map<String, String> brokerSettings() {
        String prefix = "listener.name." + NAME.toLowerCase(java.util.Locale.ROOT) + ".";
        return Map.of(
                "sasl.enabled.mechanisms", MECHANISM,
                prefix + "sasl.enabled.mechanisms", MECHANISM,
                prefix + MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                prefix + "ssl.keystore.location", certificate.keyStore().toAbsolutePath().toString(),
                prefix + "ssl.keystore.password", certificate.password(),
                prefix + "ssl.keystore.type", "PKCS12");
    }

    /**
     * @param user a SCRAM user
     * @param password its password, possibly a wrong one
     * @return client settings that reach this listener as that user, trusting the broker's certificate
     */
    public Map<String, String> clientSettings(String user, String password) {
        return Map.of(
                "security.protocol", NAME,
                "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";",
                "ssl.truststore.location", certificate.trustStore().toAbsolutePath().toString(),
                "ssl.truststore.password", certificate.password(),
                "ssl.truststore.type", "PKCS12");
    }

    /** @return client settings that reach this listener as its user */
    public Map<String, String> clientSettings() {
        return clientSettings(user, password);
    }
}
