package dev.arenaflow.cli.io;

import static org.assertj.core.api.Assertions.assertThat;

import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class KafkaSecurityFailureTest {

    @Test
    void shouldNameTheJaasConfigForARefusedLogin() {
        SaslAuthenticationException refused = new SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512");

        assertThat(KafkaSecurityFailure.describe(refused)).hasValueSatisfying(line -> assertThat(line)
                .contains("sasl.jaas.config").contains("invalid credentials").doesNotContain("\n"));
    }

    @Test
    void shouldNameTheTrustStoreForAnUntrustedCertificateFoundDeepInTheCauses() {
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed:\nunable to find valid "
                + "certification path to requested target");
        KafkaException wrapped = new KafkaException("Failed to construct kafka consumer",
                new SslAuthenticationException("SSL handshake failed", handshake));

        assertThat(KafkaSecurityFailure.describe(wrapped)).hasValueSatisfying(line -> assertThat(line)
                .contains("ssl.truststore.location").contains("unable to find valid certification path")
                .doesNotContain("\n"));
    }

    @Test
    void shouldLeaveOtherFailuresAlone() {
        assertThat(KafkaSecurityFailure.describe(new TimeoutException("Topic not present in metadata"))).isEmpty();
        assertThat(KafkaSecurityFailure.describe(new IllegalStateException("x", new RuntimeException("y")))).isEmpty();
        assertThat(KafkaSecurityFailure.describe(null)).isEmpty();
    }
}
