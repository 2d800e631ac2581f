package dev.arenaflow.cli.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real Prometheus server (Debian's {@code prometheus} binary) on 127.0.0.1, scraping one target
 * every second with arenaflow's alert rules loaded, and its HTTP API.
 *
 * <p>Threading notes: one test thread uses it.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(250);

    private final Process process;
    private final String url;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * @param dir its configuration, data and log go here
     * @param target {@code host:port} to scrape at {@code /metrics}, as job {@code arenaflow}
     * @param rules the alert rules file to load
     * @param timeout how long it may take to become ready
     * @return the server, ready
     */
    public static PrometheusServer start(Path dir, String target, Path rules, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: arenaflow
                    static_configs:
                      - targets: ['%s']
                """.formatted(rules.toAbsolutePath(), target));
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(Redirect.to(log.toFile())).start();
        PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port, log);
        server.awaitReady(timeout);
        return server;
    }

    /**
     * @param promql an instant query
     * @return the {@code data.result} of its answer
     */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"success".equals(answer.path("status").asText())) {
            throw new AssertionError("query " + promql + " failed: " + answer);
        }
        return answer.path("data").path("result");
    }

    /**
     * Polls a query whose answer is one number until the condition holds.
     *
     * @return the last value seen; NaN if the query never had a result
     */
    public double awaitValue(String promql, Predicate<Double> condition, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        double value = Double.NaN;
        while (System.nanoTime() < deadline) {
            JsonNode result = query(promql);
            value = result.isEmpty() ? Double.NaN : result.get(0).path("value").get(1).asDouble();
            if (!Double.isNaN(value) && condition.test(value)) {
                return value;
            }
            Thread.sleep(POLL.toMillis());
        }
        return value;
    }

    /** @return the answer of an API path, e.g. {@code /api/v1/rules} */
    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** @return the end of its log, for failure messages */
    public String logTail() {
        try {
            var lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + "\n" + logTail());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new AssertionError("prometheus not ready within " + timeout + "\n" + logTail());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
