package dev.arenaflow.cli.io;

import dev.arenaflow.record.DecodeError;
import dev.arenaflow.record.RawRecordFormat;
import dev.arenaflow.record.RawRecordWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * An endless, realistic stream of Raw Record v1 values from {@code K} sources named
 * {@code sensor-001}, {@code sensor-002} and so on, keyed by source. Each source counts its
 * sequence up from 0; now and then it skips a few numbers (a gap) or sends its last record again,
 * byte for byte (a duplicate). Event times are the clock's time give or take a little jitter.
 * A fraction of records can be malformed on purpose, in varied ways (see {@link Corruption}).
 *
 * <p>The output is a function of the settings and the clock alone: with the same seed and a
 * clock giving the same times, it is the same byte for byte. A malformed record does not use up
 * a sequence number, so a consumer of the snapshots sees exactly the generated gaps and duplicates.
 *
 * <p>Threading notes: not thread-safe; use one instance from one thread.
 */
public final class SampleGenerator {

    /** How sources take turns. */
    public enum Interleave {
        /** {@code sensor-001}, {@code sensor-002}, ..., then from the start again. */
        ROUND_ROBIN,
        /** A uniformly random source each time. */
        RANDOM
    }

    /** The most sequence numbers one gap skips. */
    static final int MAX_GAP = 3;
    /** Event times are the clock's time plus or minus up to this many milliseconds. */
    static final int MAX_JITTER_MILLIS = 100;

    private final Settings settings;
    private final LongSupplier clockMillis;
    private final SplittableRandom random;
    private final byte[][] sourceNames;
    private final long[] nextSequence;
    private final byte[][] lastValue;
    private final Corruption corruption;
    private int turn;
    private long generated;
    private long gaps;
    private long skippedSequences;
    private long duplicates;
    private long malformed;

    /**
     * @param settings what to generate
     * @param clockMillis the current time in epoch milliseconds, e.g. {@code System::currentTimeMillis}
     */
    public SampleGenerator(Settings settings, LongSupplier clockMillis) {
        this.settings = settings;
        this.clockMillis = clockMillis;
        this.random = new SplittableRandom(settings.seed());
        this.sourceNames = names(settings.sources());
        this.nextSequence = new long[settings.sources()];
        this.lastValue = new byte[settings.sources()][];
        this.corruption = new Corruption(random);
    }

    /** @return the next record; never null, as the stream has no end */
    public OutgoingRecord next() {
        int source = pickSource();
        generated++;
        double roll = random.nextDouble();
        if (roll < settings.malformedRate()) {
            malformed++;
            return corruption.apply(sourceNames[source], wellFormed(source, nextSequence[source]));
        }
        if (roll < settings.malformedRate() + settings.duplicateRate() && lastValue[source] != null) {
            duplicates++;
            return new OutgoingRecord(sourceNames[source], lastValue[source].clone(), null);
        }
        return fresh(source);
    }

    /** @return the settings it generates with */
    public Settings settings() {
        return settings;
    }

    /** @param index a source's index, from 0 @return its name, e.g. {@code sensor-001} for 0 */
    public String sourceName(int index) {
        return new String(sourceNames[index], StandardCharsets.UTF_8);
    }

    /** @return how many records {@link #next} has returned */
    public long generated() {
        return generated;
    }

    /** @return how many gaps were made, each skipping 1 to {@value #MAX_GAP} sequence numbers */
    public long gaps() {
        return gaps;
    }

    /** @return how many sequence numbers the gaps skipped in all, which the session plugin counts as gaps */
    public long skippedSequences() {
        return skippedSequences;
    }

    /** @return how many records were resent duplicates */
    public long duplicates() {
        return duplicates;
    }

    /** @return how many records were malformed on purpose */
    public long malformed() {
        return malformed;
    }

    private OutgoingRecord fresh(int source) {
        if (nextSequence[source] > 0 && random.nextDouble() < settings.gapRate()) {
            int skipped = 1 + random.nextInt(MAX_GAP);
            gaps++;
            skippedSequences += skipped;
            nextSequence[source] += skipped;
        }
        byte[] value = wellFormed(source, nextSequence[source]++);
        lastValue[source] = value;
        return new OutgoingRecord(sourceNames[source], value.clone(), null);
    }

    private byte[] wellFormed(int source, long sequence) {
        long eventTime = clockMillis.getAsLong() + random.nextInt(-MAX_JITTER_MILLIS, MAX_JITTER_MILLIS + 1);
        byte[] payload = new byte[settings.payloadBytes()];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) random.nextInt(256);
        }
        return RawRecordWriter.encode(settings.type(), eventTime, sequence, sourceNames[source], payload, true);
    }

    private int pickSource() {
        if (settings.interleave() == Interleave.RANDOM) {
            return random.nextInt(settings.sources());
        }
        int source = turn;
        turn = (turn + 1) % settings.sources();
        return source;
    }

    private static byte[][] names(int count) {
        int width = Math.max(3, Integer.toString(count).length());
        byte[][] names = new byte[count][];
        for (int i = 0; i < count; i++) {
            names[i] = String.format(Locale.ROOT, "sensor-%0" + width + "d", i + 1).getBytes(StandardCharsets.UTF_8);
        }
        return names;
    }

    /**
     * What to generate.
     *
     * @param sources how many sources, at least 1
     * @param seed the random seed
     * @param gapRate the chance, 0..1, that a fresh record follows a gap in its source's sequence
     * @param duplicateRate the fraction, 0..1, of records that resend their source's last record
     * @param malformedRate the fraction, 0..1, of records malformed on purpose
     * @param payloadBytes the payload size of every well-formed record, at least 0
     * @param type the message type, 0..65535
     * @param interleave how sources take turns
     */
    public record Settings(int sources, long seed, double gapRate, double duplicateRate, double malformedRate,
                           int payloadBytes, int type, Interleave interleave) {

        /** The defaults of {@code arenaflow produce --generate}. */
        public static final double DEFAULT_GAP_RATE = 0.02;
        /** The defaults of {@code arenaflow produce --generate}. */
        public static final double DEFAULT_DUPLICATE_RATE = 0.02;
        /** The defaults of {@code arenaflow produce --generate}. */
        public static final int DEFAULT_PAYLOAD_BYTES = 64;
        /** The defaults of {@code arenaflow produce --generate}. */
        public static final int DEFAULT_TYPE = 7;
        /** The largest payload the generator makes, to stay under Kafka's default request size. */
        public static final int MAX_PAYLOAD_BYTES = 900_000;

        /**
         * @throws IllegalArgumentException naming the setting and the bad value
         */
        public Settings {
            check(sources >= 1, "sources must be at least 1 but was " + sources);
            checkRate("gap rate", gapRate);
            checkRate("duplicate rate", duplicateRate);
            checkRate("malformed rate", malformedRate);
            check(duplicateRate + malformedRate <= 1, "duplicate rate plus malformed rate must be at most 1 but was "
                    + (duplicateRate + malformedRate));
            check(payloadBytes >= 0 && payloadBytes <= MAX_PAYLOAD_BYTES,
                    "payload bytes must be in 0.." + MAX_PAYLOAD_BYTES + " but was " + payloadBytes);
            check(type >= 0 && type <= 0xFFFF, "type must be in 0..65535 but was " + type);
            check(interleave != null, "interleave must be set");
        }

        /**
         * @param sources how many sources
         * @param seed the random seed
         * @return settings with the default rates, payload size and type, and random interleaving
         */
        public static Settings defaults(int sources, long seed) {
            return new Settings(sources, seed, DEFAULT_GAP_RATE, DEFAULT_DUPLICATE_RATE, 0, DEFAULT_PAYLOAD_BYTES,
                    DEFAULT_TYPE, Interleave.RANDOM);
        }

        private static void checkRate(String name, double rate) {
            check(rate >= 0 && rate <= 1, name + " must be in 0..1 but was " + rate);
        }

        private static void check(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /**
     * Breaks a well-formed record in one of several ways, chosen at random, each caught by a
     * different rule of the decoder.
     */
    static final class Corruption {

        private static final DecodeError[] KINDS = {DecodeError.EMPTY, DecodeError.BAD_MAGIC, DecodeError.TRUNCATED,
            DecodeError.BAD_VERSION, DecodeError.RESERVED_FLAGS, DecodeError.BAD_SEQUENCE, DecodeError.BAD_SOURCE,
            DecodeError.PAYLOAD_TOO_LARGE, DecodeError.TRAILING_BYTES, DecodeError.BAD_CHECKSUM};
        private static final int FLAGS_LOW_BYTE = RawRecordFormat.FLAGS_OFFSET + 1;
        private static final int RESERVED_FLAG_BIT = 0x02;
        private static final byte SIGN_BIT = (byte) 0x80;
        private static final byte ILL_FORMED_UTF8 = (byte) 0xC0;
        private static final int MAX_EXTRA = 8;

        private final SplittableRandom random;

        Corruption(SplittableRandom random) {
            this.random = random;
        }

        /**
         * @param source the record's source bytes
         * @param value a well-formed record, changed in place
         * @return the record, malformed in one randomly chosen way
         */
        OutgoingRecord apply(byte[] source, byte[] value) {
            DecodeError kind = KINDS[random.nextInt(KINDS.length)];
            return new OutgoingRecord(source.clone(), corrupt(kind, value, source.length), kind);
        }

        private byte[] corrupt(DecodeError kind, byte[] value, int sourceLength) {
            int payloadLengthAt = RawRecordFormat.payloadLengthOffset(sourceLength);
            int payloadAt = RawRecordFormat.payloadOffset(sourceLength);
            switch (kind) {
                case EMPTY -> value = new byte[0];
                case BAD_MAGIC -> value[RawRecordFormat.MAGIC_OFFSET] = (byte) random.nextInt(0xA5);
                case TRUNCATED -> value = Arrays.copyOf(value, 1 + random.nextInt(value.length - 1));
                case BAD_VERSION -> value[RawRecordFormat.VERSION_OFFSET] = (byte) (2 + random.nextInt(254));
                case RESERVED_FLAGS -> value[FLAGS_LOW_BYTE] |= RESERVED_FLAG_BIT;
                case BAD_SEQUENCE -> value[RawRecordFormat.SEQUENCE_OFFSET] |= SIGN_BIT;
                case BAD_SOURCE -> value[RawRecordFormat.SOURCE_OFFSET] = ILL_FORMED_UTF8;
                case PAYLOAD_TOO_LARGE -> Arrays.fill(value, payloadLengthAt, payloadAt, (byte) 0xFF);
                case TRAILING_BYTES -> value = Arrays.copyOf(value, value.length + 1 + random.nextInt(MAX_EXTRA));
                // Any byte of payload or crc: both are covered by the check.
                case BAD_CHECKSUM -> value[payloadAt + random.nextInt(value.length - payloadAt)] ^= nonZeroByte();
                default -> throw new IllegalArgumentException("no corruption for " + kind);
            }
            return value;
        }

        private byte nonZeroByte() {
            return (byte) (1 + random.nextInt(255));
        }
    }
}
