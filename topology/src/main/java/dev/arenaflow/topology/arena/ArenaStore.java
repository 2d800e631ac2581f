package dev.arenaflow.topology.arena;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A plugin's arena: every message the plugin has not acknowledged, keyed by input position.
 *
 * <p>Entries live in memory. At each commit, and only then, the entries still pending are written
 * to a logged key-value store, and entries persisted at an earlier commit and acknowledged since
 * are deleted from it. So a message acknowledged within one commit interval costs nothing on disk
 * or in the changelog, not even a tombstone. That is safe in a crash because the input offset of
 * an entry that lived only in memory was never committed: the record is consumed again.
 *
 * <p>Why {@link CachedStateStore}: in Kafka Streams 4.4, {@code StreamTask.prepareCommit} flushes
 * store caches through {@code CachedStateStore.flushCache()} and then the record collector, before
 * the input offsets are committed (or the transaction is, under exactly-once).
 * {@link StateStore#commit} runs later, at checkpoint time, after the offsets are committed, so it
 * is too late to make pending entries durable.
 *
 * <p>Threading notes: stream thread only, like every state store.
 */
public final class ArenaStore implements StateStore, CachedStateStore<Bytes, byte[]> {

    private final KeyValueStore<Bytes, byte[]> durable;
    private final Map<ArenaKey, Slot> live = new LinkedHashMap<>();
    private final List<ArenaKey> tombstones = new ArrayList<>();
    private boolean loaded;
    private int dirty;

    ArenaStore(KeyValueStore<Bytes, byte[]> durable) {
        this.durable = durable;
    }

    /**
     * Holds an entry until it is acknowledged, replacing any entry with the same key (a new attempt).
     *
     * @param entry the entry; its arrays must not change afterwards
     */
    public void put(ArenaEntry entry) {
        Slot slot = live().computeIfAbsent(entry.key(), k -> new Slot());
        slot.entry = entry;
        if (!slot.dirty) {
            slot.dirty = true;
            dirty++;
        }
    }

    /**
     * Acknowledges an entry: it leaves the arena, and the durable store if it got there.
     *
     * @param key the entry's key
     * @return false if no such entry was held
     */
    public boolean ack(ArenaKey key) {
        Slot slot = live().remove(key);
        if (slot == null) {
            return false;
        }
        if (slot.dirty) {
            dirty--;
        }
        if (slot.persisted) {
            tombstones.add(key);
        }
        return true;
    }

    /**
     * @param key an entry's key
     * @return the entry held under it, or null
     */
    public ArenaEntry get(ArenaKey key) {
        Slot slot = live().get(key);
        return slot == null ? null : slot.entry;
    }

    /** @return the number of entries held */
    public int size() {
        return live().size();
    }

    /** @return the entries held, oldest first, including those restored after a restart; read-only */
    public Collection<ArenaEntry> entries() {
        List<ArenaEntry> entries = new ArrayList<>(live().size());
        live().values().forEach(slot -> entries.add(slot.entry));
        return Collections.unmodifiableList(entries);
    }

    @Override
    public void flushCache() {
        if (dirty > 0) {
            for (Map.Entry<ArenaKey, Slot> e : live.entrySet()) {
                persist(e.getKey(), e.getValue());
            }
            dirty = 0;
        }
        for (ArenaKey key : tombstones) {
            durable.delete(key.toBytes());
        }
        tombstones.clear();
        if (durable instanceof CachedStateStore<?, ?> cached) {
            cached.flushCache();
        }
    }

    @Override
    public void clearCache() {
        live.clear();
        tombstones.clear();
        dirty = 0;
        loaded = false;
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Bytes, byte[]> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return durable.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        durable.init(context, root);
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        durable.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return durable.committedOffset(partition);
    }

    @Override
    @SuppressWarnings("deprecation") // delegated like WrappedStateStore does, so the durable store's answer stands
    public boolean managesOffsets() {
        return durable.managesOffsets();
    }

    @Override
    public void close() {
        clearCache();
        durable.close();
    }

    @Override
    public boolean persistent() {
        return durable.persistent();
    }

    @Override
    public boolean isOpen() {
        return durable.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return durable.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return durable.getPosition();
    }

    @Override
    public long approximateNumUncommittedBytes() {
        return durable.approximateNumUncommittedBytes();
    }

    private void persist(ArenaKey key, Slot slot) {
        if (slot.dirty) {
            durable.put(key.toBytes(), ArenaEntryCodec.encode(slot.entry));
            slot.dirty = false;
            slot.persisted = true;
        }
    }

    /** The restored entries are read lazily: at init, restoration has not run yet. */
    private Map<ArenaKey, Slot> live() {
        if (!loaded) {
            loaded = true;
            try (KeyValueIterator<Bytes, byte[]> it = durable.all()) {
                it.forEachRemaining(kv -> {
                    ArenaKey key = ArenaKey.fromBytes(kv.key);
                    Slot slot = new Slot();
                    slot.entry = ArenaEntryCodec.decode(key, kv.value);
                    slot.persisted = true;
                    live.putIfAbsent(key, slot);
                });
            }
        }
        return live;
    }

    private static final class Slot {
        ArenaEntry entry;
        boolean dirty;
        boolean persisted;
    }
}
