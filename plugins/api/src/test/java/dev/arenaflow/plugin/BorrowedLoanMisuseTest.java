package dev.arenaflow.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.plugin.testing.PluginHarness;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.record.RawRecordWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.ToLongBiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plants each misuse of a borrowed view or message context in a plugin and sees the harness (which
 * lends as arenaflow does under {@code arenaflow.loan.guard=strict}) catch it with a clear message.
 */
class BorrowedLoanMisuseTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ExecutorService stageThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "stage"));

    @AfterEach
    void stop() {
        stageThread.shutdownNow();
    }

    @Test
    void shouldFailWhenAViewKeptInAFieldIsReadInTheNextCall() {
        KeepsLoan<RawRecordView> plugin = new KeepsLoan<>((view, message) -> view, RawRecordView::sequence);
        PluginHarness harness = PluginHarness.open(plugin);
        harness.handle(record(1));

        assertThatThrownBy(() -> harness.handle(record(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RawRecordView used after release")
                .hasMessageContaining("may now belong to another record");
    }

    @Test
    void shouldFailWhenAMessageContextKeptInAFieldIsReadInTheNextCall() {
        KeepsLoan<MessageContext> plugin = new KeepsLoan<>((view, message) -> message, MessageContext::offset);
        PluginHarness harness = PluginHarness.open(plugin);
        harness.handle(record(1));

        assertThatThrownBy(() -> harness.handle(record(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MessageContext of plugin keeps used after its loan")
                .hasMessageContaining("may by now describe another message");
    }

    @Test
    void shouldFailWhenAnAsyncStageReadsTheViewAfterTheNextRecord() {
        ReadsLater plugin = new ReadsLater((view, message) -> view.sequence());
        PluginHarness harness = PluginHarness.open(plugin);
        Outcome first = harness.handle(record(1));
        harness.handle(record(2));

        plugin.gate.complete(null);

        assertThatThrownBy(() -> PluginHarness.await(first, WAIT))
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RawRecordView used on thread stage but wrapped on thread "
                        + Thread.currentThread().getName());
    }

    @Test
    void shouldFailWhenAnAsyncStageReadsTheMessageContextAfterTheNextRecord() {
        ReadsLater plugin = new ReadsLater((view, message) -> message.attempt());
        PluginHarness harness = PluginHarness.open(plugin);
        Outcome first = harness.handle(record(1));
        harness.handle(record(2));

        plugin.gate.complete(null);

        assertThatThrownBy(() -> PluginHarness.await(first, WAIT))
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MessageContext of plugin later used on thread stage but lent on thread "
                        + Thread.currentThread().getName());
    }

    @Test
    void shouldLetAnAsyncStageUseWhatWasCopiedDuringTheCall() {
        PluginHarness harness = PluginHarness.open(new CopiesFirst());

        Outcome outcome = PluginHarness.await(harness.handle(record(7)), WAIT);

        assertThat(outcome).isInstanceOf(Outcome.Fail.class)
                .extracting(o -> ((Outcome.Fail) o).message()).isEqualTo("sequence 7 at offset 0");
    }

    private static byte[] record(long sequence) {
        return RawRecordWriter.encode(1, 1L, sequence, "dev-1", new byte[] {1}, false);
    }

    /** What a buggy plugin reads from something it was lent. */
    private interface Reading<T> {
        long read(T lent);
    }

    /** Keeps something it was lent in a field and reads it in the next call. */
    private static final class KeepsLoan<T> extends NamedPlugin {
        private final BiFunction<RawRecordView, MessageContext, T> keep;
        private final Reading<T> reading;
        private T kept;

        KeepsLoan(BiFunction<RawRecordView, MessageContext, T> keep, Reading<T> reading) {
            super("keeps");
            this.keep = keep;
            this.reading = reading;
        }

        @Override
        public Outcome handle(RawRecordView view, MessageContext message) {
            if (kept != null) {
                reading.read(kept);
            }
            kept = keep.apply(view, message);
            return Outcome.emit(List.of());
        }
    }

    /** Reads the view or context in its first call's stage, which runs on another thread once the test opens the gate. */
    private final class ReadsLater extends NamedPlugin {
        final CompletableFuture<Void> gate = new CompletableFuture<>();
        private final ToLongBiFunction<RawRecordView, MessageContext> reading;
        private boolean first = true;

        ReadsLater(ToLongBiFunction<RawRecordView, MessageContext> reading) {
            super("later");
            this.reading = reading;
        }

        @Override
        public Outcome handle(RawRecordView view, MessageContext message) {
            if (!first) {
                return Outcome.emit(List.of());
            }
            first = false;
            return Outcome.later(gate.thenApplyAsync(
                    ignored -> Outcome.fail("READ", String.valueOf(reading.applyAsLong(view, message))), stageThread));
        }
    }

    /** Does it right: copies during the call what its stage needs. */
    private final class CopiesFirst extends NamedPlugin {
        CopiesFirst() {
            super("copies");
        }

        @Override
        public Outcome handle(RawRecordView view, MessageContext message) {
            long sequence = view.sequence();
            long offset = message.offset();
            return Outcome.later(CompletableFuture.supplyAsync(
                    () -> Outcome.fail("COPIED", "sequence " + sequence + " at offset " + offset), stageThread));
        }
    }

    private abstract static class NamedPlugin implements Plugin {
        private final String name;

        NamedPlugin(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void open(PluginContext context) {
        }
    }
}
