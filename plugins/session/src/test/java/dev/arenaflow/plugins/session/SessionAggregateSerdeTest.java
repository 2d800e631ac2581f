package dev.arenaflow.plugins.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SessionAggregateSerdeTest {

    private final SessionAggregateSerde serde = new SessionAggregateSerde();

    @Test
    void shouldRoundTripEveryField() {
        SessionAggregate a = new SessionAggregate(1, 2, -3, 4, Long.MAX_VALUE, 6, 7);

        byte[] bytes = serde.serializer().serialize("t", a);

        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(a);
    }

    @Test
    void shouldRejectStateOfAnotherLength() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[3]))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes");
    }
}
