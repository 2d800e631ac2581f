package dev.arenaflow.cli.plugins;

/**
 * The latest record of one key in a compacted topic.
 *
 * @param key the key as UTF-8 text
 * @param value the value, never null: a tombstone removes the key instead
 * @param partition where it was read
 * @param offset where it was read
 */
public record KeyedRecord(String key, byte[] value, int partition, long offset) {

    /** @return where it was read, for messages */
    public String position() {
        return "partition " + partition + ", offset " + offset;
    }
}
