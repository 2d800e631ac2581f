package dev.arenaflow.topology.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.NoSuchElementException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class InMemoryRegistryTest {

    private static final String TOPIC = "snapshots.session";
    private static final String SUBJECT = "snapshots.session-value";

    private final InMemoryRegistry registry = new InMemoryRegistry();

    private static SessionSnapshot snapshot(long count) {
        SnapshotMeta meta = SnapshotMeta.newBuilder()
                .setPlugin("session")
                .setSource("sensor-1")
                .setSequence(41)
                .setType(2)
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_123L))
                .setInputTopic("events")
                .setInputPartition(3)
                .setInputOffset(1234)
                .setAttempt(1)
                .build();
        return SessionSnapshot.newBuilder()
                .setMeta(meta)
                .setCount(count)
                .setTotalPayloadBytes(512)
                .setFirstEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setLastEventTime(Instant.ofEpochMilli(1_700_000_000_123L))
                .setLastSequence(41)
                .setGaps(1)
                .setDuplicates(0)
                .build();
    }

    private static int wireId(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    private static byte[] plainAvro(SessionSnapshot value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SessionSnapshot>(SessionSnapshot.getClassSchema()).write(value, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Test
    void roundTripsASpecificRecordInTheConfluentWireFormat() throws IOException {
        Serializer<SessionSnapshot> serializer = registry.serializer();
        Deserializer<SessionSnapshot> deserializer = registry.deserializer();

        byte[] bytes = serializer.serialize(TOPIC, snapshot(3));

        assertThat(bytes[0]).isEqualTo((byte) 0);
        int id = wireId(bytes);
        assertThat(registry.subjects()).contains(SUBJECT);
        assertThat(id).isEqualTo(registry.idOf(SUBJECT));
        assertThat(registry.schema(id)).isEqualTo(SessionSnapshot.getClassSchema());
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(snapshot(3)));

        SessionSnapshot back = deserializer.deserialize(TOPIC, bytes);
        assertThat(back).isExactlyInstanceOf(SessionSnapshot.class).isEqualTo(snapshot(3));
        assertThat(back.getMeta()).isExactlyInstanceOf(SnapshotMeta.class);
    }

    @Test
    void writesNoHeadersWhenKafkaStreamsPassesThem() {
        RecordHeaders headers = new RecordHeaders();
        byte[] bytes = registry.<SessionSnapshot>serializer().serialize(TOPIC, headers, snapshot(1));

        assertThat(headers.toArray()).isEmpty();
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(registry.<SessionSnapshot>deserializer().deserialize(TOPIC, headers, bytes))
                .isEqualTo(snapshot(1));
    }

    @Test
    void serdeRoundTrips() {
        try (Serde<SessionSnapshot> serde = registry.serde()) {
            byte[] bytes = serde.serializer().serialize(TOPIC, snapshot(5));
            assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(snapshot(5));
        }
    }

    @Test
    void sameSchemaKeepsItsIdAndAnotherSchemaGetsAnother() {
        int first = registry.register(SUBJECT, SessionSnapshot.getClassSchema());
        assertThat(registry.register(SUBJECT, SessionSnapshot.getClassSchema())).isEqualTo(first);

        // two serializers (two caches) registering the same record class agree on one id
        int a = wireId(registry.<SessionSnapshot>serializer().serialize(TOPIC, snapshot(1)));
        int b = wireId(registry.<SessionSnapshot>serializer().serialize(TOPIC, snapshot(2)));
        assertThat(a).isEqualTo(b);

        Schema other = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"Other\",\"namespace\":\"dev.arenaflow.schemas\","
                        + "\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
        int otherId = registry.register(SUBJECT, other);
        assertThat(otherId).isNotEqualTo(first).isNotEqualTo(a);
        assertThat(registry.schema(otherId)).isEqualTo(other);
        assertThat(registry.idOf(SUBJECT)).isEqualTo(otherId);
    }

    @Test
    void unknownIdFailsClearly() {
        byte[] bytes = registry.<SessionSnapshot>serializer().serialize(TOPIC, snapshot(1));
        ByteBuffer.wrap(bytes, 1, 4).putInt(999);

        assertThatThrownBy(() -> registry.<SessionSnapshot>deserializer().deserialize(TOPIC, bytes))
                .rootCause()
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("contentId 999");
        assertThatThrownBy(() -> registry.schema(999)).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> registry.idOf("nope-value")).isInstanceOf(NoSuchElementException.class);
    }
}
