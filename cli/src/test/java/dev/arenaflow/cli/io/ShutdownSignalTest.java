package dev.arenaflow.cli.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShutdownSignalTest {

    @Test
    void shouldRunTheActionWhenRequested() {
        AtomicInteger runs = new AtomicInteger();
        try (ShutdownSignal signal = ShutdownSignal.manual()) {
            signal.onRequest(runs::incrementAndGet);
            assertThat(signal.requested()).isFalse();

            signal.request();

            assertThat(signal.requested()).isTrue();
            assertThat(runs).hasValue(1);
        }
    }

    @Test
    void shouldRunAnActionSetAfterTheRequestAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        ShutdownSignal signal = ShutdownSignal.manual();
        signal.request();

        signal.onRequest(runs::incrementAndGet);

        assertThat(runs).hasValue(1);
    }

    @Test
    void shouldInstallAndRemoveAShutdownHook() {
        ShutdownSignal signal = ShutdownSignal.install(Duration.ofSeconds(1));

        signal.close();

        assertThat(signal.requested()).isFalse();
    }
}
