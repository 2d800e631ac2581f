package dev.arenaflow.cli.plugins;

/**
 * Why {@code plugins} stops without doing what it was asked, and with which exit status: 2 for a
 * mistake of the operator (a bad argument or setting), 1 when it could not be done (Kafka failed, or a
 * record in the way cannot be read).
 */
public final class CommandFailure extends RuntimeException {

    /** Exit status of a mistake in the arguments or settings. */
    public static final int USAGE = 2;
    /** Exit status when it could not be done. */
    public static final int FAILED = 1;

    private final int exitCode;

    private CommandFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** @param message what is wrong, naming the bad argument @return a failure with exit status 2 */
    public static CommandFailure usage(String message) {
        return new CommandFailure(USAGE, message, null);
    }

    /** @param message what failed @param cause the client's exception, or null @return a failure with exit status 1 */
    public static CommandFailure failed(String message, Throwable cause) {
        return new CommandFailure(FAILED, message, cause);
    }

    /** @return the exit status */
    public int exitCode() {
        return exitCode;
    }
}
