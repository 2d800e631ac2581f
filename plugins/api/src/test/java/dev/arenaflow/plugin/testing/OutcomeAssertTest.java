package dev.arenaflow.plugin.testing;

import static dev.arenaflow.plugin.testing.OutcomeAssert.assertOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.schemas.SnapshotMeta;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** Each check fails, with a message naming what was expected and what came, when the outcome differs. */
class OutcomeAssertTest {

    private static final SnapshotMeta META = SnapshotMeta.newBuilder().setPlugin("p").setSource("s").setSequence(1)
            .setType(1).setEventTime(Instant.EPOCH).setInputTopic("t").setInputPartition(0).setInputOffset(0)
            .setAttempt(1).build();

    @Test
    void shouldReturnTheOneSnapshotEmitted() {
        assertThat(assertOutcome(Outcome.emit(META)).emitsOne(SnapshotMeta.class)).isSameAs(META);
    }

    @Test
    void shouldFailWhenTheCountOfSnapshotsDiffers() {
        assertThatThrownBy(() -> assertOutcome(Outcome.emit(List.of(META, META))).emitsOne(SnapshotMeta.class))
                .isInstanceOf(AssertionError.class).hasMessageContaining("expected 1 snapshot(s) but the plugin returned 2");
    }

    @Test
    void shouldFailWhenTheSnapshotIsOfAnotherType() {
        assertThatThrownBy(() -> assertOutcome(Outcome.emit(META)).emitsOne(OtherRecord.class))
                .isInstanceOf(AssertionError.class).hasMessageContaining("one OtherRecord").hasMessageContaining("one SnapshotMeta");
    }

    @Test
    void shouldFailWhenTheOutcomeIsOfAnotherKind() {
        assertThatThrownBy(() -> assertOutcome(Outcome.retry(Duration.ZERO, "down")).failsWith("X"))
                .isInstanceOf(AssertionError.class).hasMessage("expected a dead letter X but the plugin returned Retry[PT0S: down]");
    }

    @Test
    void shouldFailWhenTheCodeTheDelayOrTheTimeDiffers() {
        assertThatThrownBy(() -> assertOutcome(Outcome.fail("A", "m")).failsWith("B")).hasMessageContaining("Fail[A: m]");
        assertThatThrownBy(() -> assertOutcome(Outcome.retry(Duration.ofMillis(10), "r")).retriesAfter(Duration.ofSeconds(1)))
                .hasMessageContaining("at least PT1S");
        assertThatThrownBy(() -> assertOutcome(Outcome.defer(Instant.EPOCH)).defersUntil(Instant.EPOCH.plusSeconds(1)))
                .hasMessageContaining("Defer[1970-01-01T00:00:00Z]");
    }

    @Test
    void shouldFailWhenAStageIsAlreadyCompleteOrNeverCompletes() {
        assertThatThrownBy(() -> assertOutcome(Outcome.later(CompletableFuture.completedFuture(Outcome.emit(META)))).isPending())
                .hasMessageContaining("a pending stage");
        assertThatThrownBy(() -> assertOutcome(Outcome.later(new CompletableFuture<>())).completes(Duration.ofMillis(1)))
                .hasMessageContaining("to complete within PT0.001S");
    }

    @Test
    void shouldFailWhenAStageExpectedToFailCompletes() {
        assertThatThrownBy(() -> assertOutcome(Outcome.later(CompletableFuture.completedFuture(Outcome.emit(META))))
                .completesExceptionally()).hasMessageContaining("expected the stage to fail");
        assertThatThrownBy(() -> assertOutcome(Outcome.later(CompletableFuture.failedFuture(new IllegalStateException("x"))))
                .completes()).hasMessageContaining("it failed").hasMessageContaining("IllegalStateException: x");
    }

    @Test
    void shouldRejectANullOutcome() {
        assertThatThrownBy(() -> assertOutcome(null)).isInstanceOf(AssertionError.class).hasMessageContaining("null");
    }

    /** A SpecificRecord type the emitted snapshot is not. */
    private abstract static class OtherRecord implements SpecificRecord {
    }
}
