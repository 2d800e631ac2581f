package dev.arenaflow.bench;

import dev.arenaflow.record.RawRecordWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Raw Record v1 values shaped like the ones the micro-benchmarks claim numbers for: a sensor-style
 * source, a 256-byte random payload and a CRC32C trailer. Seeded, so every run measures the same bytes.
 */
public final class SampleRecords {

    /** The payload size the targets are stated for. */
    public static final int PAYLOAD_LENGTH = 256;
    /** How many distinct sources the samples cycle through. */
    public static final int SOURCES = 1000;
    private static final int TYPE = 7;
    private static final long EPOCH_MS = 1_764_000_000_000L;

    private final SplittableRandom random;

    /** @param seed fixes the payload bytes */
    public SampleRecords(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** @return the source of sample {@code i}, e.g. {@code sensor-0042} */
    public static String source(int i) {
        return String.format(Locale.ROOT, "sensor-%04d", i % SOURCES);
    }

    /** @return sample {@code i}: a new array holding a valid, checksummed record */
    public byte[] value(int i) {
        byte[] payload = new byte[PAYLOAD_LENGTH];
        random.nextBytes(payload);
        return RawRecordWriter.encode(TYPE, EPOCH_MS + i, i, source(i), payload, true);
    }

    /** @return the Kafka key of sample {@code i}: its source's UTF-8, in a new array */
    public static byte[] key(int i) {
        return source(i).getBytes(StandardCharsets.UTF_8);
    }

    /** @return samples 0 to {@code count - 1} */
    public byte[][] values(int count) {
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            values[i] = value(i);
        }
        return values;
    }
}
