package dev.arenaflow.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.cli.replay.ReplayCheck.Verdict;
import dev.arenaflow.topology.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ReplayCheckTest {

    @Test
    void shouldReplayADeadLetterBelowTheLimit() {
        ReplayCheck check = ReplayCheck.of(deadLetter("2"), "enrich", 3);

        assertThat(check).isEqualTo(new ReplayCheck(Verdict.REPLAY, 2, null));
    }

    @Test
    void shouldKeepADeadLetterAtTheLimit() {
        assertThat(ReplayCheck.of(deadLetter("3"), "enrich", 3).verdict()).isEqualTo(Verdict.KEEP);
        assertThat(ReplayCheck.of(deadLetter("9"), "enrich", 3).verdict()).isEqualTo(Verdict.KEEP);
    }

    @Test
    void shouldSkipARecordWhoseOriginPartitionIsNotAPartition() {
        Headers headers = deadLetter("0");
        headers.remove(DeadLetterHeaders.ORIGIN_PARTITION);
        headers.add(DeadLetterHeaders.ORIGIN_PARTITION, "first".getBytes(StandardCharsets.UTF_8));

        ReplayCheck check = ReplayCheck.of(headers, "enrich", 3);

        assertThat(check.verdict()).isEqualTo(Verdict.SKIP);
        assertThat(check.reason()).contains(DeadLetterHeaders.ORIGIN_PARTITION);
    }

    @Test
    void shouldSkipADecodeDeadLetterEvenAtTheLimit() {
        Headers headers = deadLetter("5");
        headers.remove(DeadLetterHeaders.PLUGIN);
        headers.add(DeadLetterHeaders.PLUGIN, DeadLetterHeaders.DECODE_PLUGIN.getBytes(StandardCharsets.UTF_8));

        ReplayCheck check = ReplayCheck.of(headers, "enrich", 3);

        assertThat(check.verdict()).isEqualTo(Verdict.SKIP);
        assertThat(check.reason()).isEqualTo("a dead letter of the decoder, not of plugin 'enrich'");
    }

    private static Headers deadLetter(String replayCount) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, DeadLetterHeaders.PLUGIN, "enrich");
        add(headers, DeadLetterHeaders.ORIGIN_TOPIC, "raw-events");
        add(headers, DeadLetterHeaders.ORIGIN_PARTITION, "1");
        add(headers, DeadLetterHeaders.ORIGIN_OFFSET, "77");
        add(headers, DeadLetterHeaders.REPLAY_COUNT, replayCount);
        return headers;
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
