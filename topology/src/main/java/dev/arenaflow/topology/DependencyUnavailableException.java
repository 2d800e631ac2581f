package dev.arenaflow.topology;

/**
 * A dependency did not answer at start-up within {@link ArenaflowConfig#STARTUP_WAIT_MS}. The
 * message is one line naming the setting that points at it; it never holds a credential.
 */
public final class DependencyUnavailableException extends RuntimeException {

    /** Which dependency did not answer. */
    public enum Dependency { BROKER, REGISTRY }

    private final Dependency dependency;

    DependencyUnavailableException(Dependency dependency, String message) {
        super(message, null, false, false);
        this.dependency = dependency;
    }

    /** @return which dependency did not answer */
    public Dependency dependency() {
        return dependency;
    }
}
