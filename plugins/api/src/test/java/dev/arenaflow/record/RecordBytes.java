package dev.arenaflow.record;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/** Builds record values that break chosen rules, starting from a valid one; for tests only. */
final class RecordBytes {

    static final String DESIGN_EXAMPLE_HEX =
            "A501" + "0007" + "0001" + "0000019AB697E87B" + "000000000000002A" + "0005" + "6465762D31"
                    + "00000005" + "0102030405" + "1D871D1F";

    private byte[] bytes;

    private RecordBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The worked example of docs/raw-record-v1.md: type 7, eventTime 1764000000123, sequence 42, source "dev-1", 5 bytes, checksum. */
    static RecordBytes designExample() {
        return of(HexFormat.of().parseHex(DESIGN_EXAMPLE_HEX));
    }

    static RecordBytes of(byte[] record) {
        return new RecordBytes(record.clone());
    }

    static RecordBytes withoutChecksum(String source, int payloadLength) {
        return of(RawRecordWriter.encode(7, 1L, 1L, source, new byte[payloadLength], false));
    }

    static RecordBytes withChecksum(String source, int payloadLength) {
        return of(RawRecordWriter.encode(7, 1L, 1L, source, new byte[payloadLength], true));
    }

    RecordBytes version(int version) {
        bytes[RawRecordFormat.VERSION_OFFSET] = (byte) version;
        return this;
    }

    RecordBytes magic(int magic) {
        bytes[RawRecordFormat.MAGIC_OFFSET] = (byte) magic;
        return this;
    }

    RecordBytes flags(int flags) {
        ByteBuffer.wrap(bytes).putShort(RawRecordFormat.FLAGS_OFFSET, (short) flags);
        return this;
    }

    RecordBytes sequence(long sequence) {
        ByteBuffer.wrap(bytes).putLong(RawRecordFormat.SEQUENCE_OFFSET, sequence);
        return this;
    }

    /** Changes only the sourceLen field; the bytes after it stay where they are. */
    RecordBytes sourceLength(int sourceLength) {
        ByteBuffer.wrap(bytes).putShort(RawRecordFormat.SOURCE_LENGTH_OFFSET, (short) sourceLength);
        return this;
    }

    RecordBytes sourceByte(int index, int value) {
        bytes[RawRecordFormat.SOURCE_OFFSET + index] = (byte) value;
        return this;
    }

    RecordBytes payloadLength(long payloadLength) {
        int sourceLength = Short.toUnsignedInt(ByteBuffer.wrap(bytes).getShort(RawRecordFormat.SOURCE_LENGTH_OFFSET));
        ByteBuffer.wrap(bytes).putInt(RawRecordFormat.payloadLengthOffset(sourceLength), (int) payloadLength);
        return this;
    }

    RecordBytes flipByte(int index) {
        bytes[index] ^= (byte) 0x5A;
        return this;
    }

    RecordBytes truncateTo(int length) {
        bytes = Arrays.copyOf(bytes, length);
        return this;
    }

    RecordBytes truncateBy(int count) {
        return truncateTo(bytes.length - count);
    }

    RecordBytes append(int count) {
        bytes = Arrays.copyOf(bytes, bytes.length + count);
        return this;
    }

    /** Rewrites the trailer over the current bytes, so that only the intended rule is broken. */
    RecordBytes fixChecksum() {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - RawRecordFormat.CRC_LENGTH);
        ByteBuffer.wrap(bytes).putInt(bytes.length - RawRecordFormat.CRC_LENGTH, (int) crc.getValue());
        return this;
    }

    byte[] bytes() {
        return bytes.clone();
    }
}
