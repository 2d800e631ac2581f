package dev.arenaflow.record;

import static dev.arenaflow.record.RawRecordFormat.DEFAULT_MAX_PAYLOAD_LENGTH;
import static dev.arenaflow.record.RawRecordFormat.SOURCE_OFFSET;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A flyweight over one Raw Record v1 value: {@link #wrap} checks the record where it lies and the
 * accessors read its fields from the caller's array, without copying it and without allocating.
 *
 * <p><b>Ownership:</b> the view does not own the bytes. When arenaflow hands a view to a plugin, the
 * view is valid only during the call that lent it; arenaflow then calls {@link #release()}. After
 * that every accessor throws {@link IllegalStateException} until the next {@link #wrap}, so a plugin
 * that must keep anything copies it during the call ({@link #payloadCopy()}, {@link #copyPayload},
 * {@link #sourceAsString()}, or the numeric fields). How arenaflow also catches a view kept past
 * the next wrap depends on its loan guard ({@code arenaflow.loan.guard}, see the README). The
 * caller must not change the wrapped bytes while the view is in use.
 *
 * <p><b>Threading notes:</b> an instance is confined to the thread that last called {@link #wrap}:
 * every accessor called on another thread throws {@link IllegalStateException}, whatever the view
 * holds at that moment. Reuse one per processor, never share one between threads or keep one in a
 * static field. {@link #validate} holds no state and may be called from any thread.
 */
public final class RawRecordView {

    // Ordered so that "may report its status" is one compare (state >= VALID).
    private static final int UNWRAPPED = 0;
    private static final int RELEASED = 1;
    private static final int VALID = 2;
    private static final int INVALID = 3;

    private final int maxPayloadLength;
    private final CRC32C crc = new CRC32C();
    private byte[] buffer;
    private int offset;
    private int length;
    private int state = UNWRAPPED;
    // Written only by the wrapping thread, without a barrier: the check must cost nothing. Another
    // thread may read a stale value, but not its own Thread unless it once wrapped this view itself
    // (in arenaflow only the stream thread wraps), so the check fails there however stale the read.
    private Thread owner;
    private DecodeError error;
    private String errorDetail;
    private int sourceLength;
    private int payloadLength;
    private int payloadOffset;

    /** Creates an unwrapped view that accepts payloads up to {@link RawRecordFormat#DEFAULT_MAX_PAYLOAD_LENGTH}. */
    public RawRecordView() {
        this(DEFAULT_MAX_PAYLOAD_LENGTH);
    }

    /**
     * Creates an unwrapped view.
     *
     * @param maxPayloadLength the largest payloadLen accepted, at least 1
     * @throws IllegalArgumentException if {@code maxPayloadLength} is not positive
     */
    public RawRecordView(int maxPayloadLength) {
        this.maxPayloadLength = requirePositive(maxPayloadLength);
    }

    /**
     * Checks a record without a view: the same checks, in the same order, as {@link #wrap}.
     * Allocation-free and thread-safe, for use from a shared Kafka {@code Deserializer}.
     *
     * @param buffer the value, may be null (then {@link DecodeError#EMPTY})
     * @param offset where the record starts in {@code buffer}
     * @param length the record's length; the bytes outside the window are never read
     * @param maxPayloadLength the largest payloadLen accepted, at least 1
     * @return the first rule the record breaks, or null if it is well-formed
     * @throws IndexOutOfBoundsException if the window does not fit in a non-null buffer
     * @throws IllegalArgumentException if {@code maxPayloadLength} is not positive
     */
    public static DecodeError validate(byte[] buffer, int offset, int length, int maxPayloadLength) {
        return RawRecordChecks.check(buffer, offset, length, requirePositive(maxPayloadLength), null);
    }

    /**
     * Wraps a whole array as one record; see {@link #wrap(byte[], int, int)}.
     *
     * @param buffer the value, may be null
     * @return this view
     */
    public RawRecordView wrap(byte[] buffer) {
        return wrap(buffer, 0, buffer == null ? 0 : buffer.length);
    }

    /**
     * Checks the record in {@code buffer[offset, offset + length)} and points this view at it. It
     * never throws for malformed bytes: {@link #isValid()} and {@link #error()} say how it went.
     * The view keeps a reference to {@code buffer}, which stays owned by the caller.
     *
     * @param buffer the value, may be null (then {@link DecodeError#EMPTY})
     * @param offset where the record starts
     * @param length the record's length
     * @return this view, valid or not
     * @throws IndexOutOfBoundsException if the window does not fit in a non-null buffer
     */
    public RawRecordView wrap(byte[] buffer, int offset, int length) {
        state = UNWRAPPED;
        owner = Thread.currentThread();
        DecodeError found = RawRecordChecks.check(buffer, offset, length, maxPayloadLength, crc);
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.error = found;
        this.errorDetail = null;
        if (found == null) {
            readLengths();
        }
        state = found == null ? VALID : INVALID;
        return this;
    }

    /**
     * Ends the loan: from now until the next {@link #wrap}, every accessor throws. Idempotent.
     * arenaflow calls this, on the thread that wrapped the view, when the plugin call that was lent
     * it returns.
     */
    public void release() {
        state = RELEASED;
        buffer = null;
    }

    /**
     * @return true if the wrapped record is well-formed and its fields may be read
     * @throws IllegalStateException if the view is released, was never wrapped, or is used off its thread
     */
    public boolean isValid() {
        checkWrapped();
        return state == VALID;
    }

    /**
     * @return the first rule the wrapped record breaks, or null if it is valid
     * @throws IllegalStateException if the view is released, was never wrapped, or is used off its thread
     */
    public DecodeError error() {
        checkWrapped();
        return error;
    }

    /**
     * Explains {@link #error()} naming the offending value, e.g. {@code sourceLen 0 is outside 1..255}.
     * Built on first call, so it allocates, but only for malformed records.
     *
     * @return the explanation, or null if the record is valid
     * @throws IllegalStateException if the view is released, was never wrapped, or is used off its thread
     */
    public String errorDetail() {
        checkWrapped();
        if (error != null && errorDetail == null) {
            errorDetail = DecodeErrorDetail.describe(error, buffer, offset, length, maxPayloadLength);
        }
        return errorDetail;
    }

    /**
     * @return the message type, unsigned 16-bit (0..65535)
     * @throws IllegalStateException if the view is not valid, is released, or is used off its thread
     */
    public int type() {
        checkReadable();
        return RecordFields.type(buffer, offset);
    }

    /**
     * @return the flags, unsigned 16-bit; only bit 0 can be set in a valid record
     * @throws IllegalStateException if the view is not valid, is released, or is used off its thread
     */
    public int flags() {
        checkReadable();
        return RecordFields.flags(buffer, offset);
    }

    /**
     * @return true if the record carries a CRC32C trailer, which {@link #wrap} has verified
     * @throws IllegalStateException if the view is not valid, is released, or is used off its thread
     */
    public boolean hasChecksum() {
        return RecordFields.hasChecksum(flags());
    }

    /**
     * @return the event time in epoch milliseconds, any long
     * @throws IllegalStateException if the view is not valid, is released, or is used off its thread
     */
    public long eventTime() {
        checkReadable();
        return RecordFields.eventTime(buffer, offset);
    }

    /**
     * @return the per-source sequence number, never negative
     * @throws IllegalStateException if the view is not valid, is released, or is used off its thread
     */
    public long sequence() {
        checkReadable();
        return RecordFields.sequence(buffer, offset);
    }

    /**
     * @return the length of the source in UTF-8 bytes, 1..255
     * @throws IllegalStateException if the view is not valid, is released, or is used off its thread
     */
    public int sourceLength() {
        checkReadable();
        return sourceLength;
    }

    /**
     * @param index 0 to {@code sourceLength() - 1}
     * @return the source's UTF-8 byte at {@code index}
     * @throws IndexOutOfBoundsException if {@code index} is outside the source
     * @throws IllegalStateException if the view is not valid, is released, or is used off its thread
     */
    public byte sourceByte(int index) {
        checkReadable();
        return buffer[offset + SOURCE_OFFSET + Objects.checkIndex(index, sourceLength)];
    }

    /**
     * Compares the source with UTF-8 bytes without allocating, e.g. with a cached key.
     *
     * @param other UTF-8 bytes, not null
     * @return true if the source is exactly {@code other}
     * @throws IllegalStateException if the view is not valid, is released, or is used off its thread
     */
    public boolean sourceEquals(byte[] other) {
        checkReadable();
        int start = offset + SOURCE_OFFSET;
        return Arrays.equals(buffer, start, start + sourceLength, other, 0, other.length);
    }

    /**
     * Copies the source's UTF-8 bytes into a caller-owned array.
     *
     * @param dst the target, not null, with {@code sourceLength()} bytes free from {@code dstOffset}
     * @param dstOffset where to write in {@code dst}
     * @throws IndexOutOfBoundsException if {@code dst} is too small
     * @throws IllegalStateException if the view is not valid, is released, or is used off its thread
     */
    public void copySource(byte[] dst, int dstOffset) {
        checkReadable();
        System.arraycopy(buffer, offset + SOURCE_OFFSET, dst, dstOffset, sourceLength);
    }

    /**
     * Decodes the source; exact, as {@link #wrap} has checked it is strict UTF-8. Allocates, and
     * the result is owned by the caller, so it may be kept.
     *
     * @return the source, never null or empty
     * @throws IllegalStateException if the view is not valid, is released, or is used off its thread
     */
    public String sourceAsString() {
        checkReadable();
        return new String(buffer, offset + SOURCE_OFFSET, sourceLength, StandardCharsets.UTF_8);
    }

    /**
     * @return the payload length in bytes, 0 to the configured maximum
     * @throws IllegalStateException if the view is not valid, is released, or is used off its thread
     */
    public int payloadLength() {
        checkReadable();
        return payloadLength;
    }

    /**
     * @param index 0 to {@code payloadLength() - 1}
     * @return the payload byte at {@code index}
     * @throws IndexOutOfBoundsException if {@code index} is outside the payload
     * @throws IllegalStateException if the view is not valid, is released, or is used off its thread
     */
    public byte payloadByte(int index) {
        checkReadable();
        return buffer[payloadOffset + Objects.checkIndex(index, payloadLength)];
    }

    /**
     * Copies the payload into a caller-owned array.
     *
     * @param dst the target, not null, with {@code payloadLength()} bytes free from {@code dstOffset}
     * @param dstOffset where to write in {@code dst}
     * @throws IndexOutOfBoundsException if {@code dst} is too small
     * @throws IllegalStateException if the view is not valid, is released, or is used off its thread
     */
    public void copyPayload(byte[] dst, int dstOffset) {
        checkReadable();
        System.arraycopy(buffer, payloadOffset, dst, dstOffset, payloadLength);
    }

    /**
     * @return a new array holding the payload, owned by the caller
     * @throws IllegalStateException if the view is not valid, is released, or is used off its thread
     */
    public byte[] payloadCopy() {
        checkReadable();
        return Arrays.copyOfRange(buffer, payloadOffset, payloadOffset + payloadLength);
    }

    /**
     * @return the length of the whole record in bytes, checksum included
     * @throws IllegalStateException if the view is not valid, is released, or is used off its thread
     */
    public int recordLength() {
        checkReadable();
        return length;
    }

    /** Describes the view; unlike the accessors it never throws, so it is safe in a log line on any thread. */
    @Override
    public String toString() {
        if (owner != Thread.currentThread()) {
            return "RawRecordView{lent on another thread}";
        }
        return switch (state) {
            case VALID -> "RawRecordView{type=" + type() + ", source=" + sourceAsString() + ", sequence="
                    + sequence() + ", payloadLength=" + payloadLength + "}";
            case INVALID -> "RawRecordView{" + error + ": " + errorDetail() + "}";
            case RELEASED -> "RawRecordView{released}";
            default -> "RawRecordView{unwrapped}";
        };
    }

    private void readLengths() {
        sourceLength = RecordFields.sourceLength(buffer, offset);
        payloadLength = (int) RecordFields.payloadLength(buffer, offset, sourceLength);
        payloadOffset = offset + RawRecordFormat.payloadOffset(sourceLength);
    }

    private void checkReadable() {
        if (state != VALID || owner != Thread.currentThread()) {
            throw notReadable();
        }
    }

    private void checkWrapped() {
        if (state < VALID || owner != Thread.currentThread()) {
            throw notReadable();
        }
    }

    // Kept out of the accessors so that they stay small enough to inline.
    private IllegalStateException notReadable() {
        Thread lentOn = owner;
        if (lentOn != null && lentOn != Thread.currentThread()) {
            return new IllegalStateException("RawRecordView used on thread " + Thread.currentThread().getName()
                    + " but wrapped on thread " + lentOn.getName() + ": a lent view is valid only during the handle call that "
                    + "lent it, on that call's thread, and may by now hold another record. Copy what an async stage "
                    + "needs (sourceAsString(), payloadCopy(), the numeric fields) before handle returns.");
        }
        return new IllegalStateException(switch (state) {
            case RELEASED -> "RawRecordView used after release: the handle call that lent it has returned, and its "
                    + "bytes may now belong to another record. A plugin must copy what it keeps during the call.";
            case INVALID -> "RawRecordView holds a malformed record (" + error + ": " + errorDetail()
                    + "); check isValid() before reading fields";
            default -> "RawRecordView has not been wrapped around a record";
        });
    }

    private static int requirePositive(int maxPayloadLength) {
        if (maxPayloadLength <= 0) {
            throw new IllegalArgumentException("maxPayloadLength must be at least 1 but was " + maxPayloadLength);
        }
        return maxPayloadLength;
    }
}
