package dev.arenaflow.topology.registry;

import com.microsoft.kiota.ApiException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;

/**
 * Tells a registry that cannot answer from a registry that answered "no". Only the first is an
 * outage worth waiting for: a refused or reset connection, a timeout, an unknown host (DNS in a
 * restarting cluster), or an HTTP 408, 429 or 5xx. A 4xx such as an incompatible schema is not
 * the registry being down, and waiting would not change it.
 */
public final class RegistryFailures {

    private static final String VERTX_HTTP_CLOSED = "io.vertx.core.http.HttpClosedException";

    private RegistryFailures() {
    }

    /**
     * @param failure what a registry call, or the serializer around it, threw
     * @return true if the registry could not be reached or answered with a server-side error
     */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketException || t instanceof SocketTimeoutException
                    || t instanceof HttpTimeoutException || t instanceof UnknownHostException) {
                return true;
            }
            String type = t.getClass().getName();
            if (type.equals(VERTX_HTTP_CLOSED) || type.endsWith("TimeoutException")) {
                return true;
            }
            if (t instanceof ApiException api) {
                int status = api.getResponseStatusCode();
                return status == 408 || status == 429 || status >= 500;
            }
        }
        return false;
    }

    /**
     * @param failure what a registry call threw
     * @return the innermost cause's type and message, on one line: what an operator needs to see
     */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApiException api) {
                return "HTTP " + api.getResponseStatusCode();
            }
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
