package dev.arenaflow.api.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import dev.arenaflow.topology.DeadLetterHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class ConsumedRecordJsonTest {

    private static final String VERDICT = "{\"ok\":false,\"error\":\"BAD_MAGIC\",\"detail\":\"expected magic 0xA5 but found 0x00\"}";

    private static ConsumerRecord<byte[], byte[]> record(byte[] key, RecordHeaders headers) {
        return new ConsumerRecord<>("arenaflow.dlq.decode", 2, 12L, 0L, TimestampType.CREATE_TIME, -1, -1, key,
                new byte[] {0}, headers, Optional.empty());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteADeadLetterWithAllHeadersAsTextAndTheVerdict() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.ERROR_CODE, utf8("BAD_MAGIC"));
        headers.add(DeadLetterHeaders.ERROR_MESSAGE, utf8("expected \"magic\"\n"));
        headers.add("original", null);
        headers.add(DeadLetterHeaders.ATTEMPT, utf8("1"));
        headers.add("original", utf8("second wins"));
        headers.add("binary", new byte[] {(byte) 0xFF});

        String line = ConsumedRecordJson.deadLetter(record(utf8("dev-1"), headers), VERDICT);

        assertThat(line).isEqualTo("{\"topic\":\"arenaflow.dlq.decode\",\"partition\":2,\"offset\":12,\"key\":\"dev-1\","
                + "\"headers\":{\"arenaflow.error.code\":\"BAD_MAGIC\",\"arenaflow.error.message\":\"expected \\\"magic\\\"\\n\","
                + "\"original\":\"second wins\",\"arenaflow.attempt\":\"1\",\"binary\":\"\uFFFD\"},\"verdict\":" + VERDICT + "}");
    }

    @Test
    void shouldWriteAKeyAsTextOrBase64OrNull() {
        assertThat(ConsumedRecordJson.keyText(utf8("東-1"))).isEqualTo("東-1");
        assertThat(ConsumedRecordJson.keyText(new byte[] {(byte) 0xC0, (byte) 0x80})).isEqualTo("wIA=");
        assertThat(ConsumedRecordJson.keyText(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isEqualTo("7aCA");
        assertThat(ConsumedRecordJson.keyText(null)).isNull();
        assertThat(ConsumedRecordJson.deadLetter(record(null, new RecordHeaders()), VERDICT))
                .contains("\"key\":null,\"headers\":{},");
    }

    @Test
    void shouldWriteASnapshotValue() {
        SnapshotMeta meta = new SnapshotMeta("session", "dev-1", 1L, 7, Instant.ofEpochMilli(5), "raw-events", 0, 0L, 1);
        SessionSnapshot value = new SessionSnapshot(meta, 1L, 0L, Instant.ofEpochMilli(5), Instant.ofEpochMilli(5), 1L, 0L, 0L);

        assertThat(ConsumedRecordJson.snapshot(record(utf8("dev-1"), new RecordHeaders()), value))
                .startsWith("{\"topic\":\"arenaflow.dlq.decode\",\"partition\":2,\"offset\":12,\"key\":\"dev-1\","
                        + "\"value\":{\"meta\":{\"plugin\":\"session\"")
                .endsWith("\"duplicates\":0}}");
    }

    @Test
    void shouldWritePlainAndNullValues() {
        ConsumerRecord<byte[], byte[]> record = record(null, new RecordHeaders());

        assertThat(ConsumedRecordJson.snapshot(record, null)).endsWith("\"key\":null,\"value\":null}");
        assertThat(ConsumedRecordJson.snapshot(record, new org.apache.avro.util.Utf8("x"))).endsWith("\"value\":\"x\"}");
        assertThat(ConsumedRecordJson.snapshot(record, 7L)).endsWith("\"value\":7}");
        assertThat(ConsumedRecordJson.snapshot(record, ByteBuffer.wrap(new byte[] {1}))).endsWith("\"value\":\"AQ==\"}");
    }

    @Test
    void shouldWriteAnErrorLineWithoutKey() {
        assertThat(ConsumedRecordJson.error(record(utf8("k"), new RecordHeaders()), "bad \"wire\" format"))
                .isEqualTo("{\"topic\":\"arenaflow.dlq.decode\",\"partition\":2,\"offset\":12,"
                        + "\"error\":\"bad \\\"wire\\\" format\"}");
    }
}
