package dev.arenaflow.topology.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class PatientSerializerTest {

    private final AtomicLong clock = new AtomicLong(1_000);
    private final RegistryReachability reachability = new RegistryReachability("http://registry:8080", clock::get);
    private final List<Duration> pauses = new ArrayList<>();

    /** Fails with what a refused connection gives, {@code failures} times, then answers. */
    private static Serializer<String> failing(int failures, AtomicInteger calls, RuntimeException failure) {
        return (topic, data) -> {
            if (calls.incrementAndGet() <= failures) {
                throw failure;
            }
            return data.getBytes();
        };
    }

    private static RuntimeException refused() {
        return new SerializationException("resolve failed",
                new RuntimeException("cache load", new ConnectException("Connection refused")));
    }

    private PatientSerializer<String> patient(Serializer<String> delegate) {
        return new PatientSerializer<>(delegate, reachability, wait -> {
            pauses.add(wait);
            clock.addAndGet(wait.toMillis());
        });
    }

    @Test
    void waitsOutAnOutageWithBackoffCappedAtFiveSecondsThenSerializes() {
        AtomicInteger calls = new AtomicInteger();
        byte[] bytes = patient(failing(9, calls, refused())).serialize("snapshots.session", "value");

        assertThat(bytes).isEqualTo("value".getBytes());
        assertThat(calls).hasValue(10);
        assertThat(pauses).extracting(Duration::toMillis)
                .containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L);
        assertThat(reachability.outage()).isEmpty();
        assertThat(reachability.outages()).isEqualTo(1);
    }

    @Test
    void reportsOneOutageWithItsStartAndLastErrorWhileItLasts() {
        AtomicInteger calls = new AtomicInteger();
        List<RegistryReachability.Outage> seen = new ArrayList<>();
        PatientSerializer<String> serializer = new PatientSerializer<>(failing(3, calls, refused()), reachability,
                wait -> {
                    seen.add(reachability.outage().orElseThrow());
                    clock.addAndGet(wait.toMillis());
                });

        serializer.serialize("t", "v");

        assertThat(seen).extracting(RegistryReachability.Outage::sinceMillis).containsOnly(1_000L);
        assertThat(seen).extracting(RegistryReachability.Outage::failedCalls).containsExactly(1L, 2L, 3L);
        assertThat(seen.get(2).lastError()).isEqualTo("ConnectException: Connection refused");
        assertThat(reachability.outages()).isEqualTo(1);
    }

    @Test
    void passesOnAFailureThatIsNotTheRegistryBeingDownAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        SerializationException notAnOutage = new SerializationException("schema incompatible",
                new IllegalArgumentException("field missing"));

        assertThatThrownBy(() -> patient(failing(1, calls, notAnOutage)).serialize("t", "v")).isSameAs(notAnOutage);
        assertThat(pauses).isEmpty();
        assertThat(reachability.outages()).isZero();
    }

    @Test
    void stopsWaitingWhenTheInstanceCloses() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<PatientSerializer<String>> serializer = new AtomicReference<>();
        serializer.set(new PatientSerializer<>(failing(Integer.MAX_VALUE, calls, refused()), reachability, wait -> {
            if (pauses.size() == 2) {
                serializer.get().abandonWaits();
            }
            pauses.add(wait);
        }));

        assertThatThrownBy(() -> serializer.get().serialize("t", "v"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("the instance is closing");
        assertThat(calls).hasValue(4);
        assertThat(reachability.outage()).isPresent();
    }

    @Test
    void aSecondOutageIsCountedAndLoggedAfresh() {
        AtomicInteger calls = new AtomicInteger();
        PatientSerializer<String> serializer = patient(failing(2, calls, refused()));
        serializer.serialize("t", "a");
        calls.set(0);
        serializer.serialize("t", "b");

        assertThat(reachability.outages()).isEqualTo(2);
        assertThat(reachability.outage()).isEmpty();
    }
}
