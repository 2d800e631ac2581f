package dev.arenaflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed start must not leave the other server running. */
class LocalStackFailureIT {

    @TempDir
    Path dir;

    @Test
    void shouldStopTheBrokerWhenTheRegistryFailsToStart() throws IOException {
        LocalStackLayout real = LocalStackLayout.locate();
        Path brokenJar = Files.writeString(dir.resolve("broken-runner.jar"), "not a jar");
        LocalStackLayout layout = new LocalStackLayout(real.home(), real.kafkaLibs(), real.kafkaLogConfig(), brokenJar);

        Set<Long> before = liveChildren();
        long start = System.nanoTime();

        assertThatThrownBy(() -> LocalStack.start(dir.resolve("stack"), layout, KafkaOptions.defaults(), false))
                .isInstanceOf(ChildProcessException.class)
                .hasMessageContaining("schema registry exited before it was ready")
                .hasMessageContaining("Invalid or corrupt jarfile");
        System.out.printf("failed start returned after %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertThat(liveChildren()).isSubsetOf(before);
    }

    @Test
    void shouldStopTheBrokerWhenTheStartingThreadIsInterrupted() throws Exception {
        Set<Long> before = liveChildren();
        Thread starter = new Thread(() -> {
            try {
                LocalStack.start(dir.resolve("stack"), LocalStackLayout.locate(), KafkaOptions.defaults(), false)
                        .close();
            } catch (InterruptedException expected) {
                // The point of the test.
            }
        });
        starter.start();
        awaitBrokerStarted();
        starter.interrupt();
        starter.join(Duration.ofSeconds(40).toMillis());

        assertThat(starter.isAlive()).isFalse();
        assertThat(liveChildren()).isSubsetOf(before);
    }

    /** Other test classes in this JVM may share a stack of their own; only new children count. */
    private static Set<Long> liveChildren() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    private void awaitBrokerStarted() throws InterruptedException {
        Path brokerLog = dir.resolve("stack/kafka/broker.log");
        while (!Files.exists(brokerLog)) {
            Thread.sleep(50);
        }
    }
}
