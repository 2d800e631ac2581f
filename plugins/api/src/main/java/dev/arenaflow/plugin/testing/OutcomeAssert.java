package dev.arenaflow.plugin.testing;

import dev.arenaflow.plugin.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;

/**
 * Checks one plugin outcome and hands back what it holds, so a test reads as record in, expected
 * outcome out:
 *
 * <pre>{@code
 * CountSnapshot snapshot = harness.expect(TestRecord.from("dev-1")).emitsOne(CountSnapshot.class);
 * harness.expect(record).failsWith("UNKNOWN_DEVICE");
 * OutcomeAssert pending = harness.expect(record).isPending();   // an async plugin's stage, not yet complete
 * }</pre>
 *
 * <p>A failed check throws {@link AssertionError} naming what was expected and what the plugin
 * returned, so it needs no assertion library. Threading notes: use one instance on one thread;
 * {@link #completes} waits for a stage that may complete on any thread.
 */
public final class OutcomeAssert {

    /** How long {@link #completes()} waits for a stage: long enough for a slow CI machine, short enough to fail. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private final Outcome outcome;

    private OutcomeAssert(Outcome outcome) {
        this.outcome = outcome;
    }

    /**
     * @param outcome what a plugin returned, or what its stage completed with; not null
     * @return the checks over it
     */
    public static OutcomeAssert assertOutcome(Outcome outcome) {
        if (outcome == null) {
            throw new AssertionError("expected an outcome but the plugin returned null, which arenaflow treats as a failed attempt");
        }
        return new OutcomeAssert(outcome);
    }

    /** @return the outcome under test */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * Checks that the outcome emits exactly one snapshot, of this type.
     *
     * @param type the snapshot's class
     * @param <T> the snapshot type
     * @return the snapshot
     */
    public <T extends SpecificRecord> T emitsOne(Class<T> type) {
        List<SpecificRecord> snapshots = emits(1);
        if (!type.isInstance(snapshots.get(0))) {
            throw fail("one " + type.getSimpleName(), "one " + snapshots.get(0).getClass().getSimpleName());
        }
        return type.cast(snapshots.get(0));
    }

    /**
     * Checks that the outcome emits this many snapshots.
     *
     * @param count the number expected, possibly 0
     * @return the snapshots, in order
     */
    public List<SpecificRecord> emits(int count) {
        Outcome.Emit emit = as(Outcome.Emit.class, "an emit of " + count + " snapshot(s)");
        if (emit.snapshots().size() != count) {
            throw fail(count + " snapshot(s)", emit.snapshots().size() + ": " + emit);
        }
        return emit.snapshots();
    }

    /**
     * Checks that the outcome sends the message to the dead-letter topic with this code.
     *
     * @param code the expected error code
     * @return the failure, for its message
     */
    public Outcome.Fail failsWith(String code) {
        Outcome.Fail failure = as(Outcome.Fail.class, "a dead letter " + code);
        if (!failure.code().equals(code)) {
            throw fail("a dead letter " + code, outcome);
        }
        return failure;
    }

    /**
     * Checks that the plugin asked for another attempt after at least this delay.
     *
     * @param atLeast the shortest delay the test accepts
     * @return the retry, for its reason and exact delay
     */
    public Outcome.Retry retriesAfter(Duration atLeast) {
        Outcome.Retry retry = as(Outcome.Retry.class, "a retry after at least " + atLeast);
        if (retry.delay().compareTo(atLeast) < 0) {
            throw fail("a retry after at least " + atLeast, outcome);
        }
        return retry;
    }

    /**
     * Checks that the plugin parked the message until this time.
     *
     * @param until the expected time
     * @return the deferral
     */
    public Outcome.Defer defersUntil(Instant until) {
        Outcome.Defer defer = as(Outcome.Defer.class, "a deferral until " + until);
        if (!defer.until().equals(until)) {
            throw fail("a deferral until " + until, outcome);
        }
        return defer;
    }

    /**
     * Checks that the outcome is an async stage that has not completed yet, as when the remote call
     * it waits for has not answered.
     *
     * @return this, to go on with {@link #completes()}
     */
    public OutcomeAssert isPending() {
        CompletableFuture<Outcome> future = future("a pending stage");
        if (future.isDone()) {
            throw fail("a pending stage", "a stage already complete: " + future);
        }
        return this;
    }

    /**
     * Waits up to {@link #DEFAULT_WAIT} for the async stage and checks its outcome.
     *
     * @return the checks over the outcome the stage completed with
     */
    public OutcomeAssert completes() {
        return completes(DEFAULT_WAIT);
    }

    /**
     * Waits for the async stage and checks its outcome.
     *
     * @param timeout how long to wait
     * @return the checks over the outcome the stage completed with
     */
    public OutcomeAssert completes(Duration timeout) {
        try {
            return assertOutcome(join(timeout));
        } catch (ExecutionException e) {
            throw new AssertionError("expected the stage to complete with an outcome but it failed (a failed attempt, "
                    + "retried by arenaflow): " + e.getCause(), e.getCause());
        }
    }

    /**
     * Waits up to {@link #DEFAULT_WAIT} for the async stage and checks that it failed, which arenaflow
     * counts as a failed attempt and retries; so does a stage that reads the borrowed view or message
     * context after {@code handle} returned.
     *
     * @return what the stage failed with
     */
    public Throwable completesExceptionally() {
        try {
            Outcome result = join(DEFAULT_WAIT);
            throw fail("the stage to fail", result);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private Outcome join(Duration timeout) throws ExecutionException {
        CompletableFuture<Outcome> future = future("an async stage");
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + outcome, e);
        } catch (TimeoutException e) {
            throw new AssertionError("expected the stage to complete within " + timeout + " but it did not", e);
        }
    }

    private CompletableFuture<Outcome> future(String expected) {
        return as(Outcome.Later.class, expected).stage().toCompletableFuture();
    }

    private <T extends Outcome> T as(Class<T> kind, String expected) {
        if (!kind.isInstance(outcome)) {
            throw fail(expected, outcome);
        }
        return kind.cast(outcome);
    }

    private static AssertionError fail(String expected, Object actual) {
        return new AssertionError("expected " + expected + " but the plugin returned " + actual);
    }
}
