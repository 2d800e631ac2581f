package dev.arenaflow.topology.arena;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ArenaEntryCodecTest {

    @Test
    void shouldRoundTripEntryWithHeadersAndNullKey() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", "abc".getBytes(StandardCharsets.UTF_8));
        headers.add("empty", null);
        ArenaKey key = new ArenaKey("raw-events", 3, 99);
        ArenaEntry entry = new ArenaEntry(key, 4, 1234L, null, new byte[] {1, 2, 3}, headers, 98_765L,
                ArenaEntry.Stage.RETRY_DUE);

        ArenaEntry back = ArenaEntryCodec.decode(key, ArenaEntryCodec.encode(entry));

        assertThat(back.attempt()).isEqualTo(4);
        assertThat(back.timestamp()).isEqualTo(1234L);
        assertThat(back.notBeforeMs()).isEqualTo(98_765L);
        assertThat(back.stage()).isEqualTo(ArenaEntry.Stage.RETRY_DUE);
        assertThat(back.recordKey()).isNull();
        assertThat(back.value()).containsExactly(1, 2, 3);
        assertThat(back.headers().toArray()).hasSize(2);
        assertThat(back.headers().lastHeader("trace").value()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
        assertThat(back.headers().lastHeader("empty").value()).isNull();
    }

    @Test
    void shouldRoundTripKeyWithUnicodeTopic() {
        ArenaKey key = new ArenaKey("événements", 7, Long.MAX_VALUE);

        assertThat(ArenaKey.fromBytes(key.toBytes())).isEqualTo(key);
    }
}
