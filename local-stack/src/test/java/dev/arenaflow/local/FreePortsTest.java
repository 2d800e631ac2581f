package dev.arenaflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void shouldPickDistinctPortsThatCanBeBound() throws IOException {
        int[] ports = FreePorts.pick(3);

        assertThat(Arrays.stream(ports).distinct()).hasSize(3);
        for (int port : ports) {
            new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
        }
    }

    @Test
    void shouldSeeAListeningPortOnlyWhileItIsOpen() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
            assertThat(FreePorts.isListening(port)).isTrue();
        }
        assertThat(FreePorts.isListening(port)).isFalse();
    }
}
