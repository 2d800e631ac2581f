package dev.arenaflow.bench.decode;

import dev.arenaflow.bench.SampleRecords;
import dev.arenaflow.plugin.MessageContext;
import dev.arenaflow.plugin.internal.LoanGuard;
import dev.arenaflow.plugin.internal.MessageLender;
import dev.arenaflow.record.RawRecordFormat;
import dev.arenaflow.record.RawRecordView;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One operation is one loan as a plugin processor makes it: wrap a view around the record (the
 * full check, CRC32C included), lend the message context, read what a plugin reads (every field,
 * one byte of source and payload, the context's position), end the loan. Run at both
 * {@link LoanGuard} levels: {@code thread} must allocate nothing, {@code strict} costs its two
 * objects per loan.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LendingBenchmark {

    // A power of two, so that the index wraps with a mask; the same records as DecodeBenchmark's.
    private static final int RECORDS = 512;
    private static final long SEED = 42;

    @Param({"thread", "strict"})
    public String guard;

    private MessageLender lender;
    private byte[][] records;
    private int next;

    /** Builds the records and the lender; not measured. */
    @Setup
    public void setUp() {
        records = new SampleRecords(SEED).values(RECORDS);
        lender = new MessageLender(LoanGuard.parse(guard), "bench", RawRecordFormat.DEFAULT_MAX_PAYLOAD_LENGTH);
    }

    /** Lends one record's view and context, reads them as a plugin would, and ends the loan. */
    @Benchmark
    public void lend(Blackhole bh) {
        int index = next++ & (RECORDS - 1);
        RawRecordView view = lender.lendView(records[index]);
        try {
            if (!view.isValid()) {
                throw new IllegalStateException("sample record rejected: " + view.error());
            }
            MessageContext message = lender.lendContext("raw-events", 0, index, 1);
            bh.consume(view.type());
            bh.consume(view.flags());
            bh.consume(view.eventTime());
            bh.consume(view.sequence());
            bh.consume(view.sourceByte(view.sourceLength() - 1));
            bh.consume(view.payloadByte(view.payloadLength() - 1));
            bh.consume(message.offset());
            bh.consume(message.attempt());
        } finally {
            lender.endLoan();
        }
    }
}
