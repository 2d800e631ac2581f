package dev.arenaflow.local.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LookupServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LookupService service;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void shouldListenOnLoopbackAndNameItsUrls() {
        service = LookupService.start(0);

        assertThat(service.port()).isPositive();
        assertThat(service.url()).isEqualTo("http://127.0.0.1:" + service.port());
        assertThat(service.urlTemplate()).isEqualTo("http://127.0.0.1:" + service.port() + "/sources/{source}");
    }

    @Test
    void shouldAnswerKnownSourceWithStableJsonObject() throws Exception {
        service = LookupService.start(0, Duration.ZERO, 0);

        HttpResponse<String> first = get("sensor-001");
        HttpResponse<String> again = get("sensor-001");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        Map<String, String> attributes = json(first);
        assertThat(attributes).containsOnlyKeys("source", "site", "kind", "owner");
        assertThat(attributes.get("source")).isEqualTo("sensor-001");
        assertThat(attributes.get("site")).matches("plant-[1-4]");
        assertThat(attributes.get("owner")).matches("team-[1-9]");
        assertThat(json(again)).isEqualTo(attributes);
    }

    @Test
    void shouldSpreadSimilarSourcesOverSites() {
        assertThat(IntStream.rangeClosed(1, 40)
                .mapToObj(i -> SourceAttributes.of(String.format("sensor-%03d", i)).get("site"))
                .distinct()).hasSize(4);
    }

    @Test
    void shouldDecodeUnicodeSourceWithSlashesSpacesAndPlus() throws Exception {
        service = LookupService.start(0, Duration.ZERO, 0);
        String source = "tür/東京 a+b";

        HttpResponse<String> response = get(source);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("source")).isEqualTo(source);
    }

    @Test
    void shouldAnswer404ForUnknownSourcesAndOtherPaths() throws Exception {
        service = LookupService.start(0, Duration.ZERO, 0);

        assertThat(get("unknown-7").statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(URI.create(service.url() + "/other")).build()).statusCode())
                .isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(URI.create(service.url() + "/sources/a/b")).build()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void shouldAnswer405ForOtherMethods() throws Exception {
        service = LookupService.start(0, Duration.ZERO, 0);

        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(service.urlTemplate()
                .replace("{source}", "a"))).POST(HttpRequest.BodyPublishers.ofString("x")).build());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void shouldAnswer503ForConfiguredFractionOfRequests() throws Exception {
        service = LookupService.start(0, Duration.ZERO, 1.0);

        assertThat(get("sensor-001").statusCode()).isEqualTo(503);
        assertThat(get("unknown-1").statusCode()).isEqualTo(503);
    }

    @Test
    void shouldDelayEachAnswerWithoutHoldingAThreadPerRequest() throws Exception {
        Duration latency = Duration.ofMillis(300);
        int requests = 5 * LookupService.SERVER_THREADS;
        HeldReplies replies = new HeldReplies(requests);
        service = LookupService.start(0, latency, 0, replies);

        List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, requests)
                .mapToObj(i -> client.sendAsync(request("sensor-" + i), HttpResponse.BodyHandlers.ofString()))
                .toList();

        // Were the server's threads waiting out the latency, no more than they could have been routed.
        assertThat(replies.allScheduled.await(30, TimeUnit.SECONDS))
                .as("replies scheduled while none was sent: %s of %d", replies.delays, requests).isTrue();
        assertThat(responses).noneMatch(CompletableFuture::isDone);
        assertThat(replies.delays).hasSize(requests).containsOnly(latency.toNanos());
        replies.release.countDown();
        responses.forEach(r -> assertThat(r.join().statusCode()).isEqualTo(200));
    }

    @Test
    void shouldReplyWithoutDelayAndWithoutNagleWhenThereIsNoLatency() throws Exception {
        HeldReplies replies = new HeldReplies(1);
        replies.release.countDown();
        service = LookupService.start(0, Duration.ZERO, 0, replies);

        assertThat(get("sensor-1").statusCode()).isEqualTo(200);

        assertThat(replies.delays).containsExactly(0L);
        // Without TCP_NODELAY each reply would wait for the client's delayed ACK.
        assertThat(System.getProperty(LookupService.NODELAY_PROPERTY)).isEqualTo("true");
    }

    /**
     * The reply scheduler of a test: notes the delay each reply asks for, and holds every reply
     * until the test releases them, so the test sees how many requests were routed meanwhile.
     */
    private static final class HeldReplies extends ScheduledThreadPoolExecutor {
        final List<Long> delays = new CopyOnWriteArrayList<>();
        final CountDownLatch allScheduled;
        final CountDownLatch release = new CountDownLatch(1);

        HeldReplies(int expected) {
            super(1);
            allScheduled = new CountDownLatch(expected);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable reply, long delay, TimeUnit unit) {
            delays.add(unit.toNanos(delay));
            allScheduled.countDown();
            return super.schedule(() -> {
                try {
                    release.await();
                    reply.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, 0, TimeUnit.NANOSECONDS);
        }
    }

    @Test
    void shouldRejectBadSettingsAndBusyPort() {
        assertThatThrownBy(() -> LookupService.start(0, Duration.ofMillis(-1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LookupService.start(0, Duration.ZERO, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
        service = LookupService.start(0);
        assertThatThrownBy(() -> LookupService.start(service.port()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("127.0.0.1:" + service.port());
    }

    @Test
    void shouldStopListeningOnClose() {
        service = LookupService.start(0);
        service.close();

        assertThatThrownBy(() -> get("sensor-001")).isInstanceOf(IOException.class);
    }

    private HttpResponse<String> get(String source) throws IOException, InterruptedException {
        return send(request(source));
    }

    private HttpRequest request(String source) {
        String encoded = URLEncoder.encode(source, StandardCharsets.UTF_8).replace("+", "%20");
        return HttpRequest.newBuilder(URI.create(service.urlTemplate().replace("{source}", encoded)))
                .timeout(Duration.ofSeconds(5))
                .build();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> json(HttpResponse<String> response) throws IOException {
        return JSON.readValue(response.body(), new TypeReference<Map<String, String>>() { });
    }
}
