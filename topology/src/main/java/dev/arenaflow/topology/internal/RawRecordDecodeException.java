package dev.arenaflow.topology.internal;

import dev.arenaflow.record.DecodeError;
import org.apache.kafka.common.errors.SerializationException;

/** A record value that is not a valid Raw Record v1: a poison record for the decode dead-letter topic. */
public final class RawRecordDecodeException extends SerializationException {

    private final DecodeError error;

    RawRecordDecodeException(DecodeError error, String detail) {
        super(error + ": " + detail);
        this.error = error;
    }

    /** @return the contract's error code */
    public DecodeError error() {
        return error;
    }
}
