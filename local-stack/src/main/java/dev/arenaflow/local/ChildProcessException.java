package dev.arenaflow.local;

import java.util.List;

/**
 * A local server failed to start or to become ready. The message ends with the tail of the
 * server's log, which usually names the cause.
 */
public final class ChildProcessException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** What Kafka's SocketServer and Quarkus (the registry) log when their port is taken. */
    private static final List<String> PORT_CLASH_MARKERS = List.of(
            "Address already in use", "java.net.BindException", "seems to be in use by another process");

    private final transient String logTail;

    ChildProcessException(String message, String logTail) {
        super(message);
        this.logTail = logTail;
    }

    /**
     * Whether the server could not bind its port because something else took it between the
     * moment a free port was picked and the moment the server bound it; starting again with new
     * ports is then likely to work.
     */
    public boolean isPortClash() {
        return logTail != null && PORT_CLASH_MARKERS.stream().anyMatch(logTail::contains);
    }
}
