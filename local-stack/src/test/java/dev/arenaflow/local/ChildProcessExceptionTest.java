package dev.arenaflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChildProcessExceptionTest {

    @Test
    void shouldRecognizeKafkasPortClash() {
        assertThat(withTail("org.apache.kafka.common.KafkaException: Socket server failed to bind to "
                + "127.0.0.1:42245: Address already in use.").isPortClash()).isTrue();
    }

    @Test
    void shouldRecognizeQuarkussPortClash() {
        assertThat(withTail("ERROR [io.quarkus.runtime.ApplicationLifecycleManager] (main) Port 42245 seems to be "
                + "in use by another process. Quarkus may already be running").isPortClash()).isTrue();
    }

    @Test
    void shouldNotCallOtherFailuresAPortClash() {
        assertThat(withTail("Invalid cluster.id in: /tmp/data/meta.properties").isPortClash()).isFalse();
    }

    private static ChildProcessException withTail(String tail) {
        return new ChildProcessException("failed", tail);
    }
}
