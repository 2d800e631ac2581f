package dev.arenaflow.plugin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.record.RawRecordFormat;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.record.RawRecordWriter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What each loan guard level catches, and what the thread level leaves to the strict one. */
class MessageLenderTest {

    private static final byte[] FIRST = RawRecordWriter.encode(1, 1L, 1L, "dev-1", new byte[] {1}, false);
    private static final byte[] SECOND = RawRecordWriter.encode(1, 1L, 2L, "dev-1", new byte[] {2}, false);

    private final ExecutorService other = Executors.newSingleThreadExecutor(r -> new Thread(r, "other"));

    @AfterEach
    void stop() {
        other.shutdownNow();
    }

    private static MessageLender lender(LoanGuard guard) {
        return new MessageLender(guard, "p", RawRecordFormat.DEFAULT_MAX_PAYLOAD_LENGTH);
    }

    @Nested
    class ThreadLevel {

        private final MessageLender lender = lender(LoanGuard.THREAD);

        @Test
        void shouldLendTheSameObjectsForEveryMessage() {
            RawRecordView view = lender.lendView(FIRST);
            MessageContext message = lender.lendContext("t", 0, 1, 1);
            lender.endLoan();

            assertThat(lender.lendView(SECOND)).isSameAs(view);
            assertThat(lender.lendContext("t", 0, 2, 1)).isSameAs(message);
        }

        @Test
        void shouldFailOnAnotherThreadWhileTheSameObjectsAreLentForTheNextMessage() {
            RawRecordView view = lender.lendView(FIRST);
            MessageContext message = lender.lendContext("t", 0, 1, 1);
            lender.endLoan();
            lender.lendView(SECOND);
            lender.lendContext("t", 0, 2, 1);

            assertThatThrownBy(other.submit(view::sequence)::get).cause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("RawRecordView used on thread other");
            assertThatThrownBy(other.submit(message::offset)::get).cause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("MessageContext of plugin p used on thread other");
        }

        @Test
        void shouldFailOnTheLendingThreadBetweenLoans() {
            RawRecordView view = lender.lendView(FIRST);
            MessageContext message = lender.lendContext("t", 0, 1, 1);
            lender.endLoan();

            assertThatThrownBy(view::sequence).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("used after release");
            assertThatThrownBy(message::newMeta).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("used after its loan");
        }

        /** The limit the README states: the kept object is the current loan again, so nothing can tell. */
        @Test
        void shouldNotCatchTheLendingThreadReadingAKeptReferenceDuringALaterLoan() {
            RawRecordView kept = lender.lendView(FIRST);
            lender.endLoan();
            lender.lendView(SECOND);

            assertThat(kept.sequence()).as("the later message's sequence, silently").isEqualTo(2L);
        }
    }

    @Nested
    class StrictLevel {

        private final MessageLender lender = lender(LoanGuard.STRICT);

        @Test
        void shouldFailOnTheLendingThreadDuringALaterLoan() {
            RawRecordView view = lender.lendView(FIRST);
            MessageContext message = lender.lendContext("t", 0, 1, 1);
            lender.endLoan();
            RawRecordView next = lender.lendView(SECOND);
            MessageContext nextMessage = lender.lendContext("t", 0, 2, 1);

            assertThat(next).isNotSameAs(view);
            assertThat(nextMessage).isNotSameAs(message);
            assertThat(next.sequence()).isEqualTo(2L);
            assertThatThrownBy(view::sequence).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("used after release");
            assertThatThrownBy(message::attempt).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("used after its loan");
        }

        @Test
        void shouldFailOnAnotherThreadAfterTheLoan() {
            RawRecordView view = lender.lendView(FIRST);
            MessageContext message = lender.lendContext("t", 0, 1, 1);
            lender.endLoan();
            lender.lendView(SECOND);

            assertThatThrownBy(other.submit(view::sequence)::get).cause()
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("RawRecordView used on thread other");
            assertThatThrownBy(other.submit(message::topic)::get).cause()
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("used on thread other");
        }
    }

    @Test
    void shouldReadTheSettingInAnyCase() {
        assertThat(LoanGuard.parse("Strict")).isEqualTo(LoanGuard.STRICT);
        assertThat(LoanGuard.parse("thread")).isEqualTo(LoanGuard.THREAD);
        assertThat(LoanGuard.THREAD.configValue()).isEqualTo("thread");
    }
}
