package dev.arenaflow.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import dev.arenaflow.topology.testing.InMemoryRegistry;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class CachingAvroDatumProviderTest {

    private static final String TOPIC = "snapshots.session";

    private final InMemoryRegistry registry = new InMemoryRegistry();

    @Test
    void shouldWriteTheSameBytesAsApicuriosDefault() {
        SessionSnapshot snapshot = snapshot(7);
        byte[] cached = serializer(true).serialize(TOPIC, snapshot);

        assertThat(cached).isEqualTo(serializer(false).serialize(TOPIC, snapshot));
        assertThat(serializer(true).serialize(TOPIC, snapshot)).isEqualTo(cached);
    }

    @Test
    void shouldReadBackWhatItWrote() {
        AvroKafkaSerializer<SpecificRecord> serializer = serializer(true);
        AvroKafkaDeserializer<SessionSnapshot> deserializer = new AvroKafkaDeserializer<>(registry);
        deserializer.configure(config(true), false);

        for (long count = 1; count <= 3; count++) {
            assertThat(deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, snapshot(count))))
                    .isEqualTo(snapshot(count));
        }
    }

    @Test
    void shouldReuseOneWriterPerSchemaAndKind() {
        CachingAvroDatumProvider<Object> provider = new CachingAvroDatumProvider<>();
        Schema schema = SessionSnapshot.getClassSchema();
        Schema equalCopy = new Schema.Parser().parse(schema.toString());

        assertThat(provider.createDatumWriter(snapshot(1), schema))
                .isSameAs(provider.createDatumWriter(snapshot(2), schema))
                .isSameAs(provider.createDatumWriter(snapshot(3), equalCopy))
                .isNotSameAs(provider.createDatumWriter(new Object(), schema));
    }

    private AvroKafkaSerializer<SpecificRecord> serializer(boolean caching) {
        AvroKafkaSerializer<SpecificRecord> serializer = new AvroKafkaSerializer<>(registry);
        serializer.configure(config(caching), false);
        return serializer;
    }

    private static Map<String, Object> config(boolean caching) {
        Map<String, Object> config = InMemoryRegistry.serdeConfig();
        if (caching) {
            config.put(AvroSerdeConfig.AVRO_DATUM_PROVIDER, CachingAvroDatumProvider.class);
        }
        return config;
    }

    private static SessionSnapshot snapshot(long count) {
        SnapshotMeta meta = SnapshotMeta.newBuilder().setPlugin("session").setSource("sensor-1").setSequence(count)
                .setType(2).setEventTime(Instant.ofEpochMilli(1_700_000_000_123L)).setInputTopic("events")
                .setInputPartition(0).setInputOffset(count).setAttempt(1).build();
        return SessionSnapshot.newBuilder().setMeta(meta).setCount(count).setTotalPayloadBytes(10 * count)
                .setFirstEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setLastEventTime(Instant.ofEpochMilli(1_700_000_000_123L)).setLastSequence(count).setGaps(0)
                .setDuplicates(0).build();
    }
}
