package dev.arenaflow.plugins.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.testing.PluginHarness;
import dev.arenaflow.record.RawRecordWriter;
import dev.arenaflow.schemas.SessionSnapshot;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionPluginTest {

    private final PluginHarness harness = PluginHarness.open(new SessionPlugin());

    @Test
    void shouldStartSessionOnFirstRecordOfSource() {
        SessionSnapshot s = handle("dev-1", 5, 1_000, 3);

        assertThat(s.getCount()).isEqualTo(1);
        assertThat(s.getTotalPayloadBytes()).isEqualTo(3);
        assertThat(s.getFirstEventTime()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(s.getLastEventTime()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(s.getLastSequence()).isEqualTo(5);
        assertThat(s.getGaps()).isZero();
        assertThat(s.getDuplicates()).isZero();
    }

    @Test
    void shouldCountGapsAndWidenEventTimeRangeOnHigherSequence() {
        handle("dev-1", 5, 1_000, 3);
        SessionSnapshot s = handle("dev-1", 9, 500, 4);

        assertThat(s.getCount()).isEqualTo(2);
        assertThat(s.getTotalPayloadBytes()).isEqualTo(7);
        assertThat(s.getGaps()).isEqualTo(3);
        assertThat(s.getLastSequence()).isEqualTo(9);
        assertThat(s.getFirstEventTime()).isEqualTo(Instant.ofEpochMilli(500));
        assertThat(s.getLastEventTime()).isEqualTo(Instant.ofEpochMilli(1_000));
    }

    @Test
    void shouldCountDuplicateAndChangeNothingElseOnSequenceNotAboveLast() {
        handle("dev-1", 5, 1_000, 3);
        handle("dev-1", 6, 2_000, 3);
        SessionSnapshot equal = handle("dev-1", 6, 9_000, 100);
        SessionSnapshot lower = handle("dev-1", 2, 1, 100);

        assertThat(equal.getDuplicates()).isEqualTo(1);
        assertThat(lower.getDuplicates()).isEqualTo(2);
        assertThat(lower.getCount()).isEqualTo(2);
        assertThat(lower.getTotalPayloadBytes()).isEqualTo(6);
        assertThat(lower.getLastSequence()).isEqualTo(6);
        assertThat(lower.getFirstEventTime()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(lower.getLastEventTime()).isEqualTo(Instant.ofEpochMilli(2_000));
    }

    @Test
    void shouldKeepSourcesApart() {
        handle("dev-1", 1, 1_000, 1);
        handle("dev-2", 10, 1_000, 1);
        SessionSnapshot one = handle("dev-1", 2, 1_000, 1);

        assertThat(one.getCount()).isEqualTo(2);
        assertThat(one.getGaps()).isZero();
        assertThat(one.getMeta().getSource()).isEqualTo("dev-1");
    }

    @Test
    void shouldFillMetaFromRecordAndPosition() {
        handle("a", 1, 1, 0);
        SessionSnapshot s = handle("tür-東京", 42, 1_764_000_000_123L, 5);

        assertThat(s.getMeta().getPlugin()).isEqualTo("session");
        assertThat(s.getMeta().getSource()).isEqualTo("tür-東京");
        assertThat(s.getMeta().getSequence()).isEqualTo(42);
        assertThat(s.getMeta().getType()).isEqualTo(7);
        assertThat(s.getMeta().getEventTime()).isEqualTo(Instant.ofEpochMilli(1_764_000_000_123L));
        assertThat(s.getMeta().getInputOffset()).isEqualTo(1);
        assertThat(s.getMeta().getAttempt()).isEqualTo(1);
    }

    private SessionSnapshot handle(String source, long sequence, long eventTime, int payloadBytes) {
        Outcome outcome = harness.handle(RawRecordWriter.encode(7, eventTime, sequence, source, new byte[payloadBytes], true));
        assertThat(outcome).isInstanceOf(Outcome.Emit.class);
        assertThat(((Outcome.Emit) outcome).snapshots()).hasSize(1);
        return (SessionSnapshot) ((Outcome.Emit) outcome).snapshots().get(0);
    }
}
