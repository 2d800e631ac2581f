package dev.arenaflow.plugin.testing;

import dev.arenaflow.record.RawRecordWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * A Raw Record v1 value for a plugin test, built field by field with defaults for the rest, so a
 * test names only what its plugin reads.
 *
 * <pre>{@code
 * harness.handle(TestRecord.from("dev-1").sequence(2).payload("hello"));
 * }</pre>
 *
 * <p>Defaults: type 1, event time 2025-11-24T16:00:00Z, sequence 0, an empty payload and a checksum.
 * Instances are immutable; every setter returns a new one.
 */
public final class TestRecord {

    /** The default event time: a fixed instant, so that tests do not depend on the clock. */
    public static final Instant DEFAULT_EVENT_TIME = Instant.ofEpochMilli(1_764_000_000_000L);

    private final String source;
    private final int type;
    private final long eventTime;
    private final long sequence;
    private final byte[] payload;

    private TestRecord(String source, int type, long eventTime, long sequence, byte[] payload) {
        this.source = Objects.requireNonNull(source, "source");
        this.type = type;
        this.eventTime = eventTime;
        this.sequence = sequence;
        this.payload = payload;
    }

    /**
     * @param source the record's source, 1 to 255 bytes of UTF-8
     * @return a record of that source with the defaults
     */
    public static TestRecord from(String source) {
        return new TestRecord(source, 1, DEFAULT_EVENT_TIME.toEpochMilli(), 0, new byte[0]);
    }

    /** @param type the message type, 0..65535 @return a copy with this type */
    public TestRecord type(int type) {
        return new TestRecord(source, type, eventTime, sequence, payload);
    }

    /** @param eventTime the event time @return a copy with this event time */
    public TestRecord eventTime(Instant eventTime) {
        return new TestRecord(source, type, eventTime.toEpochMilli(), sequence, payload);
    }

    /** @param sequence the per-source sequence number, at least 0 @return a copy with this sequence */
    public TestRecord sequence(long sequence) {
        return new TestRecord(source, type, eventTime, sequence, payload);
    }

    /** @param payload the payload; copied @return a copy with this payload */
    public TestRecord payload(byte[] payload) {
        return new TestRecord(source, type, eventTime, sequence, payload.clone());
    }

    /** @param payload the payload as text, written as UTF-8 @return a copy with this payload */
    public TestRecord payload(String payload) {
        return new TestRecord(source, type, eventTime, sequence, payload.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @return the encoded value, a new array
     * @throws IllegalArgumentException if a field breaks a rule of the format
     */
    public byte[] toBytes() {
        return RawRecordWriter.encode(type, eventTime, sequence, source, payload, true);
    }

    @Override
    public String toString() {
        return "TestRecord[source=" + source + ", type=" + type + ", sequence=" + sequence + ", payload="
                + payload.length + " B]";
    }
}
