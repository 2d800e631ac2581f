package dev.arenaflow.api.subscribe;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * A position on a snapshot topic, as the opaque text clients pass back to resume a stream: for
 * every partition of the topic, the offset of the next record to read. It names its topic, so a
 * token of another plugin or application is refused, and carries a CRC32C, so a damaged one is too.
 *
 * <p>Layout before base64url (no padding): version byte {@code 1}, the topic's length (varint)
 * and UTF-8 bytes, the number of partitions (varint), each partition's next offset (varint), then
 * the CRC32C of all of that (4 bytes, big-endian). A token is self-contained: any instance of the
 * application can resume from it.
 */
public final class ResumeToken {

    private static final byte VERSION = 1;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MAX_PARTITIONS = 100_000;

    private ResumeToken() {
    }

    /**
     * @param topic the snapshot topic
     * @param nextOffsets per partition, the offset of the next record to read
     * @return the token
     */
    public static String encode(String topic, long[] nextOffsets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + topic.length() + 4 * nextOffsets.length);
        out.write(VERSION);
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        writeVarLong(out, name.length);
        out.writeBytes(name);
        writeVarLong(out, nextOffsets.length);
        for (long offset : nextOffsets) {
            writeVarLong(out, offset);
        }
        CRC32C crc = new CRC32C();
        crc.update(out.toByteArray());
        int sum = (int) crc.getValue();
        out.write(sum >>> 24);
        out.write(sum >>> 16);
        out.write(sum >>> 8);
        out.write(sum);
        return ENCODER.encodeToString(out.toByteArray());
    }

    /**
     * @param token a token from {@link #encode}
     * @param topic the topic it must name
     * @return per partition, the offset of the next record to read
     * @throws IllegalArgumentException saying what is wrong with it: not base64url, damaged, of
     *                                  an unknown version, or of another topic
     */
    public static long[] decode(String token, String topic) {
        byte[] bytes;
        try {
            bytes = DECODER.decode(token);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the resume token is not base64url text");
        }
        if (bytes.length < 5) {
            throw new IllegalArgumentException("the resume token is too short to be one");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
            throw new IllegalArgumentException("the resume token is damaged (checksum mismatch)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - 4);
        try {
            if (in.get() != VERSION) {
                throw new IllegalArgumentException("the resume token is of an unknown version");
            }
            byte[] name = new byte[checkedLength(readVarLong(in), in.remaining())];
            in.get(name);
            String named = new String(name, StandardCharsets.UTF_8);
            if (!named.equals(topic)) {
                throw new IllegalArgumentException("the resume token is for topic '" + named + "', not '" + topic
                        + "': it was issued for another plugin or application");
            }
            long[] offsets = new long[checkedLength(readVarLong(in), MAX_PARTITIONS)];
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = readVarLong(in);
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("the resume token has trailing bytes");
            }
            return offsets;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("the resume token is truncated");
        }
    }

    private static int checkedLength(long length, int max) {
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("the resume token has an impossible length field");
        }
        return (int) length;
    }

    private static void writeVarLong(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVarLong(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    throw new IllegalArgumentException("the resume token has a negative offset");
                }
                return value;
            }
        }
        throw new IllegalArgumentException("the resume token has a malformed number");
    }
}
