package dev.arenaflow.local.lookup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Routes one request to its reply and schedules the reply after the latency, so no thread waits.
 *
 * <p>Threading notes: {@link #handle} runs on the server's threads; replies are written on the
 * scheduler's thread. The handler's fields are immutable.
 */
final class LookupHandler implements HttpHandler {

    static final String PREFIX = "/sources/";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScheduledExecutorService replies;
    private final long latencyNanos;
    private final double unavailableFraction;

    LookupHandler(ScheduledExecutorService replies, Duration latency, double unavailableFraction) {
        this.replies = replies;
        this.latencyNanos = latency.toNanos();
        this.unavailableFraction = unavailableFraction;
    }

    static void validate(Duration latency, double unavailableFraction) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative but was " + latency);
        }
        if (!(unavailableFraction >= 0 && unavailableFraction <= 1)) {
            throw new IllegalArgumentException("unavailable fraction must be in [0, 1] but was " + unavailableFraction);
        }
    }

    @Override
    public void handle(HttpExchange exchange) {
        Reply reply = route(exchange);
        try {
            replies.schedule(() -> send(exchange, reply), latencyNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            exchange.close();
        }
    }

    private Reply route(HttpExchange exchange) {
        if (!exchange.getRequestMethod().equals("GET")) {
            return Reply.of(405, Map.of("error", "only GET is supported"));
        }
        String path = exchange.getRequestURI().getRawPath();
        String raw = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        if (raw.isEmpty() || raw.contains("/")) {
            return Reply.of(404, Map.of("error", "no such resource; use GET " + PREFIX + "{source}"));
        }
        String source;
        try {
            // A path keeps '+' literally; URLDecoder would read it as a space.
            source = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Reply.of(400, Map.of("error", "the source is not validly percent-encoded"));
        }
        return lookUp(source);
    }

    private Reply lookUp(String source) {
        if (unavailableFraction > 0 && ThreadLocalRandom.current().nextDouble() < unavailableFraction) {
            return Reply.of(503, Map.of("error", "temporarily unavailable"));
        }
        if (source.startsWith("unknown")) {
            return Reply.of(404, Map.of("error", "unknown source"));
        }
        return Reply.of(200, SourceAttributes.of(source));
    }

    private static void send(HttpExchange exchange, Reply reply) {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            if (reply.status() == 405) {
                exchange.getResponseHeaders().set("Allow", "GET");
            }
            exchange.sendResponseHeaders(reply.status(), reply.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        } catch (IOException e) {
            // The client went away; nothing to tell it.
        }
    }

    private record Reply(int status, byte[] body) {
        static Reply of(int status, Map<String, String> json) {
            try {
                return new Reply(status, JSON.writeValueAsBytes(json));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
