package dev.arenaflow.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Measures the bytes this thread allocates while decoding. The bound is far below one object per
 * record, so any allocation on the success path fails the test, while the few bytes the JVM may
 * allocate around the measurement itself do not.
 */
class RawRecordViewAllocationTest {

    private static final int WARM_UP_ROUNDS = 50_000;
    private static final int MEASURED_ROUNDS = 10_000;
    private static final long MAX_ALLOCATED_BYTES = 1024;

    private final RawRecordView view = new RawRecordView();
    private final byte[] record = RawRecordWriter.encode(7, 1764000000123L, 42, "café-東京-🚀", new byte[64], true);
    private final byte[] window = embed(record);
    private final byte[] source = "café-東京-🚀".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private final byte[] payload = new byte[64];
    private final byte[] sourceCopy = new byte[source.length];

    @Test
    void shouldNotAllocateWhenWrappingAndReadingValidRecords() {
        com.sun.management.ThreadMXBean threads = threadBean();
        long checksum = decodeRounds(WARM_UP_ROUNDS);

        long before = threads.getCurrentThreadAllocatedBytes();
        checksum += decodeRounds(MEASURED_ROUNDS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(checksum).isNotZero();
        assertThat(allocated).as("bytes allocated by %d decodes", MEASURED_ROUNDS).isLessThan(MAX_ALLOCATED_BYTES);
    }

    @Test
    void shouldDetectAllocationWhenThereIsSome() {
        com.sun.management.ThreadMXBean threads = threadBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        long total = 0;
        for (int i = 0; i < MEASURED_ROUNDS; i++) {
            total += view.wrap(record).payloadCopy().length;
        }

        assertThat(total).isPositive();
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isGreaterThan(MAX_ALLOCATED_BYTES);
    }

    private long decodeRounds(int rounds) {
        long checksum = 0;
        for (int i = 0; i < rounds; i++) {
            checksum += readAll(view.wrap(record));
            checksum += readAll(view.wrap(window, 3, record.length));
            checksum += RawRecordView.validate(record, 0, record.length, RawRecordFormat.DEFAULT_MAX_PAYLOAD_LENGTH) == null ? 1 : 0;
            view.release();
        }
        return checksum;
    }

    private long readAll(RawRecordView v) {
        v.copySource(sourceCopy, 0);
        v.copyPayload(payload, 0);
        long sum = v.type() + v.flags() + v.eventTime() + v.sequence() + v.sourceLength() + v.payloadLength()
                + v.recordLength() + v.sourceByte(0) + v.payloadByte(v.payloadLength() - 1) + sourceCopy[1];
        return sum + (v.hasChecksum() ? 1 : 0) + (v.sourceEquals(source) ? 1 : 0) + (v.isValid() ? 1 : 0);
    }

    private static byte[] embed(byte[] record) {
        byte[] array = new byte[record.length + 5];
        System.arraycopy(record, 0, array, 3, record.length);
        return array;
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "needs thread allocation accounting");
        return threads;
    }
}
