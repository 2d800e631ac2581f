package dev.arenaflow.topology.arena;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The stored form of an {@link ArenaEntry}: everything needed to dispatch it again after a crash.
 * Only entries still pending at a commit are ever encoded.
 */
final class ArenaEntryCodec {

    private static final byte VERSION = 3;
    private static final byte VERSION_WITHOUT_STAGE = 2;
    private static final int NULL_LENGTH = -1;
    private static final ArenaEntry.Stage[] STAGES = ArenaEntry.Stage.values();

    private ArenaEntryCodec() {
    }

    static byte[] encode(ArenaEntry entry) {
        Header[] headers = entry.headers().toArray();
        ByteBuffer b = ByteBuffer.allocate(encodedLength(entry, headers))
                .put(VERSION).putInt(entry.attempt()).putLong(entry.timestamp()).putLong(entry.notBeforeMs())
                .put((byte) entry.stage().ordinal());
        putBytes(b, entry.recordKey());
        putBytes(b, entry.value());
        b.putInt(headers.length);
        for (Header h : headers) {
            putBytes(b, h.key().getBytes(StandardCharsets.UTF_8));
            putBytes(b, h.value());
        }
        return b.array();
    }

    static ArenaEntry decode(ArenaKey key, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte version = b.get();
        if (version != VERSION && version != VERSION_WITHOUT_STAGE) {
            throw new IllegalStateException("arena entry " + key + " has unknown version " + version);
        }
        int attempt = b.getInt();
        long timestamp = b.getLong();
        long notBeforeMs = b.getLong();
        ArenaEntry.Stage stage = version == VERSION ? STAGES[b.get()] : ArenaEntry.Stage.HANDLING;
        byte[] recordKey = getBytes(b);
        byte[] value = getBytes(b);
        RecordHeaders headers = new RecordHeaders();
        for (int i = b.getInt(); i > 0; i--) {
            headers.add(new String(getBytes(b), StandardCharsets.UTF_8), getBytes(b));
        }
        return new ArenaEntry(key, attempt, timestamp, recordKey, value, headers, notBeforeMs, stage);
    }

    private static int encodedLength(ArenaEntry entry, Header[] headers) {
        int length = 2 + Integer.BYTES + 2 * Long.BYTES + sizeOf(entry.recordKey()) + sizeOf(entry.value()) + Integer.BYTES;
        for (Header h : headers) {
            length += sizeOf(h.key().getBytes(StandardCharsets.UTF_8)) + sizeOf(h.value());
        }
        return length;
    }

    private static int sizeOf(byte[] bytes) {
        return Integer.BYTES + (bytes == null ? 0 : bytes.length);
    }

    private static void putBytes(ByteBuffer b, byte[] bytes) {
        if (bytes == null) {
            b.putInt(NULL_LENGTH);
        } else {
            b.putInt(bytes.length).put(bytes);
        }
    }

    private static byte[] getBytes(ByteBuffer b) {
        int length = b.getInt();
        if (length == NULL_LENGTH) {
            return null;
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return bytes;
    }
}
