package dev.arenaflow.record;

/** Big-endian reads and writes on a {@code byte[]}, without allocation or bounds beyond the array's own. */
final class BigEndian {

    private static final int BYTE_MASK = 0xFF;
    private static final long UNSIGNED_INT_MASK = 0xFFFF_FFFFL;

    private BigEndian() {
    }

    static int readUnsignedShort(byte[] buffer, int index) {
        return (buffer[index] & BYTE_MASK) << Byte.SIZE | (buffer[index + 1] & BYTE_MASK);
    }

    static int readInt(byte[] buffer, int index) {
        return readUnsignedShort(buffer, index) << Short.SIZE | readUnsignedShort(buffer, index + Short.BYTES);
    }

    static long readUnsignedInt(byte[] buffer, int index) {
        return readInt(buffer, index) & UNSIGNED_INT_MASK;
    }

    static long readLong(byte[] buffer, int index) {
        return (long) readInt(buffer, index) << Integer.SIZE | readUnsignedInt(buffer, index + Integer.BYTES);
    }

    static void writeShort(byte[] buffer, int index, int value) {
        buffer[index] = (byte) (value >>> Byte.SIZE);
        buffer[index + 1] = (byte) value;
    }

    static void writeInt(byte[] buffer, int index, int value) {
        writeShort(buffer, index, value >>> Short.SIZE);
        writeShort(buffer, index + Short.BYTES, value);
    }

    static void writeLong(byte[] buffer, int index, long value) {
        writeInt(buffer, index, (int) (value >>> Integer.SIZE));
        writeInt(buffer, index + Integer.BYTES, (int) value);
    }
}
