package dev.arenaflow.plugin.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.schemas.SnapshotMeta;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** What plugin authors test through the harness, each case as a plugin test would read. */
class PluginHarnessTest {

    private final ScriptedPlugin plugin = new ScriptedPlugin();
    private final PluginHarness harness = PluginHarness.open(plugin, Map.of(ScriptedPlugin.STEP, "2"));

    @Test
    void shouldKeepStateAcrossRecordsPerSource() {
        harness.expect(TestRecord.from("dev-1"));
        harness.expect(TestRecord.from("dev-2"));

        SnapshotMeta third = harness.expect(TestRecord.from("dev-1").sequence(9)).emitsOne(SnapshotMeta.class);

        assertThat(third.getSequence()).isEqualTo(4);
        assertThat(third.getSource()).isEqualTo("dev-1");
        assertThat(third.getInputOffset()).isEqualTo(2);
    }

    @Test
    void shouldRejectConfigurationItsConfigDefRejectsNamingTheKey() {
        assertThatThrownBy(() -> PluginHarness.open(new ScriptedPlugin(), Map.of(ScriptedPlugin.STEP, "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ScriptedPlugin.STEP);
    }

    @Test
    void shouldHandTheAttemptNumberOfARetry() {
        SnapshotMeta meta = harness.expect(TestRecord.from("dev-1"), 3).emitsOne(SnapshotMeta.class);

        assertThat(meta.getAttempt()).isEqualTo(3);
    }

    @Test
    void shouldShowDeadLettersRetriesAndDeferralsAsThePluginAskedForThem() {
        assertThat(harness.expect(TestRecord.from("dev-1").payload("fail")).failsWith("REJECTED").message())
                .isEqualTo("scripted");
        assertThat(harness.expect(TestRecord.from("dev-1").payload("retry")).retriesAfter(Duration.ofSeconds(1)).delay())
                .isEqualTo(Duration.ofSeconds(5));
        harness.expect(TestRecord.from("dev-1").payload("defer")).defersUntil(ScriptedPlugin.DEFER_UNTIL);
    }

    @Test
    void shouldLetTheTestCompleteAnAsyncStage() {
        OutcomeAssert pending = harness.expect(TestRecord.from("dev-1").payload("later")).isPending();

        plugin.remote.complete("ok");

        assertThat(pending.completes().emitsOne(SnapshotMeta.class).getSource()).isEqualTo("dev-1");
    }

    @Test
    void shouldFailTheStageOfAPluginThatReadsItsViewAfterTheCall() {
        Throwable failure = harness.expect(TestRecord.from("dev-1").payload("leak")).completesExceptionally();

        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("RawRecordView used");
    }
}
