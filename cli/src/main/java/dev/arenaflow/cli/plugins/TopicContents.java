package dev.arenaflow.cli.plugins;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a compacted topic holds, as far as it was read: the latest record of each key, with keys
 * whose latest record is a tombstone left out, as compaction will leave them out.
 */
public final class TopicContents {

    private final String topic;
    private final boolean exists;
    private final Map<String, KeyedRecord> latest = new TreeMap<>();

    private TopicContents(String topic, boolean exists) {
        this.topic = topic;
        this.exists = exists;
    }

    /** @param topic a topic that does not exist @return its contents: none */
    public static TopicContents missing(String topic) {
        return new TopicContents(topic, false);
    }

    /** @param topic a topic about to be read @return its contents, empty until records are added */
    public static TopicContents existing(String topic) {
        return new TopicContents(topic, true);
    }

    /** Takes a record read from the topic; records without a key belong to no plugin and are ignored. */
    void add(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            latest.remove(key);
        } else {
            latest.put(key, new KeyedRecord(key, record.value(), record.partition(), record.offset()));
        }
    }

    /** @return the topic's name */
    public String topic() {
        return topic;
    }

    /** @return false if the topic does not exist: no records yet */
    public boolean exists() {
        return exists;
    }

    /** @return the latest record of each key, by key */
    public Map<String, KeyedRecord> latest() {
        return Collections.unmodifiableMap(latest);
    }

    /** @param key a key @return its latest record, if it has one that is not a tombstone */
    public Optional<KeyedRecord> latest(String key) {
        return Optional.ofNullable(latest.get(key));
    }
}
