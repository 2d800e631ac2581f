package dev.arenaflow.local;

import java.time.Duration;

/** Polls a started child until a check passes, the child dies, or time runs out. */
final class ReadinessProbe {

    /** A readiness check; returns false or throws while the server is not ready yet. */
    @FunctionalInterface
    interface Check {
        boolean ready() throws Exception;
    }

    private ReadinessProbe() {
    }

    /**
     * Blocks until {@code check} passes.
     *
     * @param child the server being waited for; not stopped here on failure, the caller owns it
     * @param pollInterval pause between checks
     * @throws ChildProcessException if the child exits or {@code timeout} passes first; the
     *         message quotes the child's log
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    static void await(ChildProcess child, Check check, Duration timeout, Duration pollInterval)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!passes(check)) {
            if (!child.isAlive()) {
                throw child.failure("exited before it was ready");
            }
            if (System.nanoTime() - deadline > 0) {
                throw child.failure("was not ready within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    private static boolean passes(Check check) throws InterruptedException {
        try {
            return check.ready();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception notReadyYet) {
            return false;
        }
    }
}
