package dev.arenaflow.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.plugin.testing.PluginHarness;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.record.RawRecordWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** An async plugin that writes its state from the completing thread is told so, loudly. */
class PluginStateThreadingTest {

    @Test
    void shouldRefuseStateWritesFromTheCompletingThread() {
        PluginHarness harness = PluginHarness.open(new WritesStateLater());

        Outcome outcome = harness.handle(RawRecordWriter.encode(1, 1L, 1L, "a", new byte[0], false));

        assertThatThrownBy(() -> PluginHarness.await(outcome, Duration.ofSeconds(5)))
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .rootCause().hasMessageContaining("only the stream thread may use it");
    }

    @Test
    void shouldAllowStateOnTheCallingThread() {
        PluginHarness harness = PluginHarness.open(new WritesStateNow());

        Outcome outcome = harness.handle(RawRecordWriter.encode(1, 1L, 1L, "a", new byte[0], false));

        assertThat(outcome).isInstanceOf(Outcome.Emit.class);
    }

    private static class WritesStateNow implements Plugin {
        PluginState<Long> state;

        @Override
        public String name() {
            return "writer";
        }

        @Override
        public boolean keepsState() {
            return true;
        }

        @Override
        public void open(PluginContext context) {
            state = context.state(Serdes.Long());
        }

        @Override
        public Outcome handle(RawRecordView view, MessageContext message) {
            state.put("k", 1L);
            return Outcome.emit(List.of());
        }
    }

    private static final class WritesStateLater extends WritesStateNow {
        @Override
        public Outcome handle(RawRecordView view, MessageContext message) {
            return Outcome.later(CompletableFuture.supplyAsync(() -> {
                state.put("k", 1L);
                return Outcome.emit(List.of());
            }));
        }
    }
}
