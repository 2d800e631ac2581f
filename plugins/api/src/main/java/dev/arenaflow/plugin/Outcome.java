package dev.arenaflow.plugin;

import java.util.List;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a plugin decided about one message. Outcomes are immutable values; the sync path returns
 * one directly, with no future.
 *
 * <p>Every snapshot must have a field {@code meta} of type
 * {@link dev.arenaflow.schemas.SnapshotMeta}, normally from {@link MessageContext#newMeta()}.
 */
public abstract sealed class Outcome permits Outcome.Emit, Outcome.Fail {

    private Outcome() {
    }

    /**
     * The message is handled, and this snapshot goes to the plugin's snapshot topic.
     *
     * @param snapshot an owned snapshot; not null
     * @return the outcome
     */
    public static Outcome emit(SpecificRecord snapshot) {
        return new Emit(List.of(snapshot));
    }

    /**
     * The message is handled, and these snapshots go to the plugin's snapshot topic, in order.
     *
     * @param snapshots owned snapshots, possibly none; not null
     * @return the outcome
     */
    public static Outcome emit(List<? extends SpecificRecord> snapshots) {
        return new Emit(List.copyOf(snapshots));
    }

    /**
     * The message cannot be handled: it goes to the plugin's dead-letter topic.
     *
     * @param code a stable, upper-case reason such as {@code UNKNOWN_DEVICE}; not null
     * @param message a human-readable reason, without secrets; not null
     * @return the outcome
     */
    public static Outcome fail(String code, String message) {
        return new Fail(code, message, null);
    }

    /**
     * The message cannot be handled because of this exception: it goes to the plugin's dead-letter
     * topic with the exception's class and message.
     *
     * @param code a stable, upper-case reason; not null
     * @param cause the exception; not null
     * @return the outcome
     */
    public static Outcome fail(String code, Throwable cause) {
        return new Fail(code, String.valueOf(cause.getMessage()), cause.getClass().getName());
    }

    /** Snapshots to forward. */
    public static final class Emit extends Outcome {
        private final List<SpecificRecord> snapshots;

        private Emit(List<SpecificRecord> snapshots) {
            this.snapshots = snapshots;
        }

        /** @return the snapshots, in order; unmodifiable */
        public List<SpecificRecord> snapshots() {
            return snapshots;
        }

        @Override
        public String toString() {
            return "Emit" + snapshots;
        }
    }

    /** A dead letter, with its reason. */
    public static final class Fail extends Outcome {
        private final String code;
        private final String message;
        private final String errorClass;

        private Fail(String code, String message, String errorClass) {
            this.code = Objects.requireNonNull(code, "code");
            this.message = Objects.requireNonNull(message, "message");
            this.errorClass = errorClass;
        }

        /** @return the stable reason code */
        public String code() {
            return code;
        }

        /** @return the human-readable reason */
        public String message() {
            return message;
        }

        /** @return the exception class behind the failure, or null when the plugin chose it */
        public String errorClass() {
            return errorClass;
        }

        @Override
        public String toString() {
            return "Fail[" + code + ": " + message + "]";
        }
    }
}
