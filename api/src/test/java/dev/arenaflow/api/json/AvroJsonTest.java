package dev.arenaflow.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

    private static final long TIME = 1_764_000_000_123L;
    private static final String SESSION_JSON = "{\"meta\":{\"plugin\":\"session\",\"source\":\"dev-1\",\"sequence\":42,"
            + "\"type\":7,\"eventTime\":1764000000123,\"inputTopic\":\"raw-events\",\"inputPartition\":3,"
            + "\"inputOffset\":99,\"attempt\":1},\"count\":5,\"totalPayloadBytes\":320,\"firstEventTime\":1764000000000,"
            + "\"lastEventTime\":1764000000123,\"lastSequence\":42,\"gaps\":2,\"duplicates\":1}";

    private static String json(Object datum, Schema schema) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            AvroJson.write(json, datum, schema);
        }
        return text.toString();
    }

    private static GenericRecord genericSession() {
        Schema schema = SessionSnapshot.getClassSchema();
        GenericRecord meta = new GenericData.Record(schema.getField("meta").schema());
        meta.put("plugin", new Utf8("session"));
        meta.put("source", "dev-1");
        meta.put("sequence", 42L);
        meta.put("type", 7);
        meta.put("eventTime", TIME);
        meta.put("inputTopic", new Utf8("raw-events"));
        meta.put("inputPartition", 3);
        meta.put("inputOffset", 99L);
        meta.put("attempt", 1);
        GenericRecord session = new GenericData.Record(schema);
        session.put("meta", meta);
        session.put("count", 5L);
        session.put("totalPayloadBytes", 320L);
        session.put("firstEventTime", TIME - 123);
        session.put("lastEventTime", TIME);
        session.put("lastSequence", 42L);
        session.put("gaps", 2L);
        session.put("duplicates", 1L);
        return session;
    }

    @Test
    void shouldWriteAGenericSessionSnapshotWithNestedMetaAndEpochMillis() throws IOException {
        GenericRecord session = genericSession();

        assertThat(json(session, session.getSchema())).isEqualTo(SESSION_JSON);
    }

    @Test
    void shouldWriteTheGeneratedClassWithInstantsTheSameWay() throws IOException {
        SnapshotMeta meta = new SnapshotMeta("session", "dev-1", 42L, 7, Instant.ofEpochMilli(TIME), "raw-events", 3, 99L, 1);
        SessionSnapshot session = new SessionSnapshot(meta, 5L, 320L, Instant.ofEpochMilli(TIME - 123),
                Instant.ofEpochMilli(TIME), 42L, 2L, 1L);

        assertThat(json(session, session.getSchema())).isEqualTo(SESSION_JSON);
    }

    @Test
    void shouldWriteUnionsAsPlainValuesAndBinaryAsBase64() throws IOException {
        Schema schema = new Schema.Parser().parse("""
                {"type":"record","name":"All","fields":[
                  {"name":"maybe","type":["null","string"]},
                  {"name":"none","type":["null","long"]},
                  {"name":"nested","type":["null",{"type":"record","name":"In","fields":[{"name":"x","type":"int"}]}]},
                  {"name":"when","type":["null",{"type":"long","logicalType":"timestamp-millis"}]},
                  {"name":"list","type":{"type":"array","items":"double"}},
                  {"name":"map","type":{"type":"map","values":"boolean"}},
                  {"name":"blob","type":"bytes"},
                  {"name":"id","type":{"type":"fixed","name":"Id","size":2}},
                  {"name":"color","type":{"type":"enum","name":"Color","symbols":["RED","GREEN"]}},
                  {"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":6,"scale":2}},
                  {"name":"day","type":{"type":"int","logicalType":"date"}},
                  {"name":"ratio","type":"float"},
                  {"name":"text","type":"string"}
                ]}""");
        GenericRecord in = new GenericData.Record(schema.getField("nested").schema().getTypes().get(1));
        in.put("x", 3);
        GenericRecord all = new GenericData.Record(schema);
        all.put("maybe", new Utf8("yes"));
        all.put("none", null);
        all.put("nested", in);
        all.put("when", TIME);
        all.put("list", new GenericData.Array<>(schema.getField("list").schema(), List.of(1.5, -2.0)));
        Map<Utf8, Boolean> map = new LinkedHashMap<>();
        map.put(new Utf8("a"), true);
        map.put(new Utf8("b"), false);
        all.put("map", map);
        ByteBuffer blob = ByteBuffer.wrap(new byte[] {9, 1, 2, 3}, 1, 3);
        all.put("blob", blob);
        all.put("id", new GenericData.Fixed(schema.getField("id").schema(), new byte[] {(byte) 0xFF, 0}));
        all.put("color", new GenericData.EnumSymbol(schema.getField("color").schema(), "GREEN"));
        all.put("price", ByteBuffer.wrap(new java.math.BigInteger("12345").toByteArray()));
        all.put("day", 20_000);
        all.put("ratio", 0.25f);
        all.put("text", "q\"\n\u0001é");

        assertThat(json(all, schema)).isEqualTo("{\"maybe\":\"yes\",\"none\":null,\"nested\":{\"x\":3},"
                + "\"when\":1764000000123,\"list\":[1.5,-2.0],\"map\":{\"a\":true,\"b\":false},\"blob\":\"AQID\","
                + "\"id\":\"/wA=\",\"color\":\"GREEN\",\"price\":123.45,\"day\":20000,\"ratio\":0.25,"
                + "\"text\":\"q\\\"\\n\\u0001é\"}");
        assertThat(blob.position()).as("the buffer is not consumed").isEqualTo(1);
    }

    @Test
    void shouldWriteConvertedLogicalValuesAsTheirUnderlyingValue() throws IOException {
        Schema union = new Schema.Parser().parse("""
                ["null",{"type":"long","logicalType":"timestamp-micros"},{"type":"int","logicalType":"date"}]""");

        assertThat(json(Instant.ofEpochMilli(TIME), union)).isEqualTo("1764000000123000");
        assertThat(json(LocalDate.ofEpochDay(20_000), union)).isEqualTo("20000");
        Schema decimal = new Schema.Parser().parse("""
                {"type":"bytes","logicalType":"decimal","precision":6,"scale":2}""");
        assertThat(json(new BigDecimal("-0.50"), decimal)).isEqualTo("-0.50");
    }

    @Test
    void shouldFailForADatumThatDoesNotFitItsUnion() {
        Schema union = new Schema.Parser().parse("[\"null\",\"int\"]");

        assertThatThrownBy(() -> json(Arrays.asList(1, 2), union)).isInstanceOf(AvroRuntimeException.class);
    }
}
