package dev.arenaflow.bench.decode;

import dev.arenaflow.bench.SampleRecords;
import dev.arenaflow.record.RawRecordFormat;
import dev.arenaflow.record.RawRecordView;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One operation decodes one record: checks it (magic to CRC32C, strict UTF-8 source included) and
 * reads every field. Each side hands the blackhole what its API gives a plugin: the copying
 * decoder an owned string and payload array, the view its scalar fields and the bytes of source
 * and payload where they lie (one byte of each is read, to show they are reachable; both sides
 * have already run the CRC and UTF-8 check over every byte).
 *
 * <p>Records are cycled through a pre-built array that fits in L2, so the loop neither re-reads
 * one hot record nor measures cache misses.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecodeBenchmark {

    // A power of two, so that the index wraps with a mask.
    private static final int RECORDS = 512;
    private static final long SEED = 42;

    private final RawRecordView view = new RawRecordView();
    private final CopyingDecoder decoder = new CopyingDecoder(RawRecordFormat.DEFAULT_MAX_PAYLOAD_LENGTH);
    private final CRC32C crc = new CRC32C();
    private byte[][] records;
    private int next;

    /** Builds the records; not measured. */
    @Setup
    public void setUp() {
        records = new SampleRecords(SEED).values(RECORDS);
    }

    /** Wraps a view, as arenaflow does for each input record, reads every field and releases it. */
    @Benchmark
    public void view(Blackhole bh) {
        RawRecordView v = view.wrap(nextRecord());
        if (!v.isValid()) {
            throw new IllegalStateException("sample record rejected: " + v.error());
        }
        bh.consume(v.type());
        bh.consume(v.flags());
        bh.consume(v.hasChecksum());
        bh.consume(v.eventTime());
        bh.consume(v.sequence());
        bh.consume(v.sourceByte(v.sourceLength() - 1));
        bh.consume(v.payloadByte(v.payloadLength() - 1));
        v.release();
    }

    /** Decodes into an owned object, as a conventional deserializer would. */
    @Benchmark
    public void copying(Blackhole bh) {
        DecodedRecord r = decoder.decode(ByteBuffer.wrap(nextRecord()));
        bh.consume(r.type());
        bh.consume(r.flags());
        bh.consume(r.checksum());
        bh.consume(r.eventTime());
        bh.consume(r.sequence());
        bh.consume(r.source());
        bh.consume(r.payload());
    }

    /**
     * Only the CRC32C over the bytes a record's trailer covers. Both decoders must compute it, so
     * it is the floor under either, and it bounds the speedup the view can show.
     */
    @Benchmark
    public long checksum() {
        byte[] record = nextRecord();
        crc.reset();
        crc.update(record, 0, record.length - RawRecordFormat.CRC_LENGTH);
        return crc.getValue();
    }

    private byte[] nextRecord() {
        return records[next++ & (RECORDS - 1)];
    }
}
