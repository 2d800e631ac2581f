package dev.arenaflow.ops;

/**
 * One named condition of readiness, e.g. "kafka-streams" or "grpc": asked on every probe, so it
 * must answer at once from state the application already holds, never by calling the broker.
 *
 * <p>Threading notes: called on the HTTP server's threads, concurrently with everything else.
 */
@FunctionalInterface
public interface HealthCheck {

    /** @return whether the condition holds now, and why */
    Result check();

    /**
     * @param ok whether the condition holds
     * @param reason why, in a few words an operator can act on
     */
    record Result(boolean ok, String reason) {

        public static Result up(String reason) {
            return new Result(true, reason);
        }

        public static Result down(String reason) {
            return new Result(false, reason);
        }
    }

    /**
     * A check with its name, as the probe's JSON shows it.
     *
     * @param name e.g. {@code grpc}
     * @param check the condition
     */
    record Named(String name, HealthCheck check) {
    }
}
