package dev.arenaflow.cli.it.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What was produced to the input topic: each record's position, as the broker acknowledged it,
 * and its identity, a (source, sequence) pair that no other input record has.
 *
 * <p>Threading notes: filled from producer callbacks, read by the test thread; thread-safe.
 */
public final class InputLedger {

    /** The position of an input record. */
    public record Position(int partition, long offset) {
        @Override
        public String toString() {
            return partition + "@" + offset;
        }
    }

    /** The identity of an input record, and the payload length the plugin reports back as count. */
    public record Input(String source, long sequence, int payloadLength) {
        public Key key() {
            return new Key(source, sequence);
        }

        @Override
        public String toString() {
            return source + "#" + sequence;
        }
    }

    /** A (source, sequence) pair. */
    public record Key(String source, long sequence) {
        @Override
        public String toString() {
            return source + "#" + sequence;
        }
    }

    private final Map<Position, Input> byPosition = new ConcurrentHashMap<>();

    void add(Position position, Input input) {
        Input twin = byPosition.putIfAbsent(position, input);
        if (twin != null) {
            throw new IllegalStateException("two inputs at " + position + ": " + twin + " and " + input);
        }
    }

    /** @return the input at a position, or null if none was produced there */
    public Input at(Position position) {
        return byPosition.get(position);
    }

    /** @return every acknowledged input, by position; a live view */
    public Map<Position, Input> all() {
        return byPosition;
    }

    public int size() {
        return byPosition.size();
    }
}
