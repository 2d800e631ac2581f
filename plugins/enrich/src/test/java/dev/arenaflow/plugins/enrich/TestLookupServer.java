package dev.arenaflow.plugins.enrich;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on 127.0.0.1 whose answer each test chooses, and that can hold requests. */
final class TestLookupServer implements AutoCloseable {

    /** What the server does with one request. */
    interface Responder {
        void respond(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<String> rawPaths = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private volatile Responder responder = reply(200, "{}");
    private volatile boolean holding;

    private TestLookupServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static TestLookupServer start() throws IOException {
        return new TestLookupServer();
    }

    static Responder reply(int status, String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    TestLookupServer answering(Responder answer) {
        this.responder = answer;
        return this;
    }

    /** Makes every request wait, before it is answered, until {@link #release}. */
    TestLookupServer holding() {
        this.holding = true;
        return this;
    }

    void release() {
        released.countDown();
    }

    String template() {
        return "http://127.0.0.1:" + port() + "/sources/{source}";
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<String> rawPaths() {
        return rawPaths;
    }

    /** @return the most requests the server held at once */
    int peak() {
        return peak.get();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        rawPaths.add(exchange.getRequestURI().getRawPath());
        try (exchange) {
            if (holding) {
                awaitRelease();
            }
            responder.respond(exchange);
        }
    }

    /** Waits, counting the waiting requests, until {@link #release}; for responders too. */
    void awaitRelease() {
        peak.accumulateAndGet(inside.incrementAndGet(), Math::max);
        try {
            released.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inside.decrementAndGet();
        }
    }
}
