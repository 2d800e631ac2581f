package dev.arenaflow.cli.io;

import dev.arenaflow.record.DecodeError;

/**
 * One record to produce: the Kafka key and value bytes, owned by whoever holds this.
 *
 * @param key the record key, the source's UTF-8 bytes
 * @param value the record value, a Raw Record v1 unless {@code intendedError} is set
 * @param intendedError the decode error the value was built to cause, or null for a well-formed value
 */
public record OutgoingRecord(byte[] key, byte[] value, DecodeError intendedError) {

    /** @return true if the value was made malformed on purpose */
    public boolean malformed() {
        return intendedError != null;
    }
}
