package dev.arenaflow.plugins.session;

/**
 * One source's session, as {@code docs/snapshots.md} defines it: counts, payload bytes, event-time range, the
 * highest sequence seen, and the gaps and duplicates found so far.
 */
record SessionAggregate(long count, long totalPayloadBytes, long firstEventTime, long lastEventTime,
                        long lastSequence, long gaps, long duplicates) {

    static SessionAggregate first(long eventTime, long sequence, long payloadBytes) {
        return new SessionAggregate(1, payloadBytes, eventTime, eventTime, sequence, 0, 0);
    }

    /** @return this session after one more record of the same source */
    SessionAggregate apply(long eventTime, long sequence, long payloadBytes) {
        if (sequence <= lastSequence) {
            return new SessionAggregate(count, totalPayloadBytes, firstEventTime, lastEventTime,
                    lastSequence, gaps, duplicates + 1);
        }
        return new SessionAggregate(count + 1, totalPayloadBytes + payloadBytes,
                Math.min(firstEventTime, eventTime), Math.max(lastEventTime, eventTime),
                sequence, gaps + (sequence - lastSequence - 1), duplicates);
    }
}
