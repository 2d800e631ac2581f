package dev.arenaflow.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ReplayHeadersTest {

    @Test
    void shouldStartTheCountAtOneForAFirstReplay() {
        Headers rewritten = ReplayHeaders.rewrite(headers(DeadLetterHeaders.ATTEMPT, "5"), 42);

        assertThat(texts(rewritten, DeadLetterHeaders.REPLAY_COUNT)).containsExactly("1");
        assertThat(texts(rewritten, DeadLetterHeaders.ATTEMPT)).containsExactly("0");
        assertThat(texts(rewritten, DeadLetterHeaders.NOT_BEFORE_MS)).containsExactly("42");
    }

    @Test
    void shouldCountOnFromTheLastCountAndTreatGarbageAsNone() {
        Headers twice = headers(DeadLetterHeaders.REPLAY_COUNT, "1");
        twice.add(DeadLetterHeaders.REPLAY_COUNT, "2".getBytes(StandardCharsets.UTF_8));

        assertThat(texts(ReplayHeaders.rewrite(twice, 0), DeadLetterHeaders.REPLAY_COUNT)).containsExactly("3");
        assertThat(ReplayHeaders.replayCount(headers(DeadLetterHeaders.REPLAY_COUNT, "many"))).isZero();
        assertThat(ReplayHeaders.replayCount(headers(DeadLetterHeaders.REPLAY_COUNT, "-4"))).isZero();
        assertThat(ReplayHeaders.replayCount(headers(DeadLetterHeaders.REPLAY_COUNT, " 7 "))).isEqualTo(7);
    }

    @Test
    void shouldLeaveTheDeadLettersHeadersAsTheyWere() {
        Headers original = headers(DeadLetterHeaders.ATTEMPT, "5");

        ReplayHeaders.rewrite(original, 42);

        assertThat(texts(original, DeadLetterHeaders.ATTEMPT)).containsExactly("5");
        assertThat(original.lastHeader(DeadLetterHeaders.REPLAY_COUNT)).isNull();
    }

    private static Headers headers(String name, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", new byte[] {1});
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static java.util.List<String> texts(Headers headers, String name) {
        java.util.List<String> values = new java.util.ArrayList<>();
        headers.headers(name).forEach(h -> values.add(new String(h.value(), StandardCharsets.UTF_8)));
        return values;
    }
}
