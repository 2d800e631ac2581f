package dev.arenaflow.plugin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a plugin decided about one message. Outcomes are immutable values; the sync path returns
 * one directly, with no future. An async plugin returns {@link #later}, with a stage that
 * completes with one of the others on any thread; arenaflow applies it on the stream thread.
 *
 * <p>Every snapshot must have a field {@code meta} of type
 * {@link dev.arenaflow.schemas.SnapshotMeta}, normally from {@link MessageContext#newMeta()}.
 *
 * <p><b>Acknowledgement.</b> The message stays in the plugin's arena until its outcome is applied
 * on the stream thread; it is acknowledged (removed from the arena, and covered by the next commit
 * of the input offsets) when {@link #emit} has forwarded its snapshots, when {@link #fail} has
 * written its dead letter, and when {@link #retry} has written its retry record (or its dead letter
 * {@code RETRIES_EXHAUSTED}, once attempts have run out), unless the plugin
 * sets {@code retry.ordered=true}, in which case it stays in the arena, holding its source, until
 * the retry comes back. {@link #defer} keeps it in the arena, unacknowledged; {@link #later}
 * keeps it there until the stage's outcome is applied. A message is never acknowledged before its
 * outcome's records have been handed to the task's producer.
 */
public abstract sealed class Outcome permits Outcome.Emit, Outcome.Fail, Outcome.Retry, Outcome.Defer, Outcome.Later {

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
     * The message cannot be handled, and retrying will not help: it goes to the plugin's
     * dead-letter topic at once. To have it tried again, throw or return {@link #retry} instead.
     *
     * @param code a stable, upper-case reason such as {@code UNKNOWN_DEVICE}; not null
     * @param message a human-readable reason, without secrets; not null
     * @return the outcome
     */
    public static Outcome fail(String code, String message) {
        return new Fail(code, message, null);
    }

    /**
     * The message cannot be handled because of this exception, and retrying will not help: it goes
     * to the plugin's dead-letter topic at once, with the exception's class and message. (An
     * exception thrown from {@code handle}, or completing the stage, is retried.)
     *
     * @param code a stable, upper-case reason; not null
     * @param cause the exception; not null
     * @return the outcome
     */
    public static Outcome fail(String code, Throwable cause) {
        return new Fail(code, String.valueOf(cause.getMessage()), cause.getClass().getName());
    }

    /**
     * The message could not be handled now but may be later: arenaflow writes it to the plugin's
     * retry topic of the first tier at least this long, and dispatches it again, as the next
     * attempt, once the delay is over, until the plugin's {@code retry.max.attempts} run out; then
     * it becomes a dead letter {@code RETRIES_EXHAUSTED}. Use it for a remote service that is down
     * or overloaded.
     *
     * @param delay how long to wait at least; not negative
     * @param reason why, for the dead letter if attempts run out; not null
     * @return the outcome
     */
    public static Outcome retry(Duration delay, String reason) {
        return new Retry(delay, reason);
    }

    /**
     * Not now, and not a failure: the message stays parked in the plugin's arena (durable at
     * commit, so it survives a restart) and is dispatched again, as the same attempt, once this
     * time has come; after a restart or a rebalance it comes as the next attempt, since a restored
     * entry may as well have been in flight. Until then it is not acknowledged, its input offset
     * may be committed (the arena entry stands for it), and later
     * messages of its source wait behind it when the plugin is ordered. It counts towards
     * {@code max.in.flight}.
     *
     * @param until when to hand it to the plugin again; not null
     * @return the outcome
     */
    public static Outcome defer(Instant until) {
        return new Defer(until);
    }

    /**
     * The outcome is not known yet: it is the one this stage completes with. The stage may
     * complete on any thread; arenaflow applies the outcome on the stream thread, in input order
     * per source unless the plugin is unordered. A stage that completes exceptionally is a failed
     * attempt, retried after the plugin's {@code retry.backoff}; one that does not complete within
     * the plugin's {@code timeout.ms} is too.
     *
     * <p>Copy everything the completion needs out of the view and the message context before
     * returning, e.g. {@link MessageContext#newMeta()}: both die when {@code handle} returns.
     * Never touch {@link PluginState} from the completing thread; it throws if you do.
     *
     * @param stage completes with an emit, fail, retry or defer outcome; not null
     * @return the outcome
     */
    public static Outcome later(CompletionStage<Outcome> stage) {
        return new Later(stage);
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

    /** Another attempt, later. */
    public static final class Retry extends Outcome {
        private final Duration delay;
        private final String reason;

        private Retry(Duration delay, String reason) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("retry delay must not be negative but was " + delay);
            }
            this.delay = delay;
            this.reason = Objects.requireNonNull(reason, "reason");
        }

        /** @return the least delay before the next attempt */
        public Duration delay() {
            return delay;
        }

        /** @return why the attempt did not succeed */
        public String reason() {
            return reason;
        }

        @Override
        public String toString() {
            return "Retry[" + delay + ": " + reason + "]";
        }
    }

    /** The same message again, later. */
    public static final class Defer extends Outcome {
        private final Instant until;

        private Defer(Instant until) {
            this.until = Objects.requireNonNull(until, "until");
        }

        /** @return when to dispatch the message again */
        public Instant until() {
            return until;
        }

        @Override
        public String toString() {
            return "Defer[" + until + "]";
        }
    }

    /** An outcome that a stage will deliver. */
    public static final class Later extends Outcome {
        private final CompletionStage<Outcome> stage;

        private Later(CompletionStage<Outcome> stage) {
            this.stage = Objects.requireNonNull(stage, "stage");
        }

        /** @return the stage that completes with the outcome */
        public CompletionStage<Outcome> stage() {
            return stage;
        }

        @Override
        public String toString() {
            return "Later[" + stage + "]";
        }
    }
}
