package dev.arenaflow.plugins.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.testing.PluginHarness;
import dev.arenaflow.record.RawRecordWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EnrichConcurrencyTest {


    private final TestLookupServer server = TestLookupServer.start().holding();
    private PluginHarness harness;

    EnrichConcurrencyTest() throws IOException {
    }

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
        server.close();
    }

    @Test
    void shouldSendAtMostMaxConcurrentRequestsAndCompleteTheRestAfterRelease() throws InterruptedException {
        open(2);

        List<Outcome> outcomes = handleEach(5);
        eventually(() -> server.rawPaths().size() == 2);

        // The server holds every request until released, so none of the five can be done yet; the
        // bound itself shows in the server's peak of concurrent requests, counted below.
        assertThat(outcomes).allSatisfy(o -> assertThat(toFuture(o).isDone()).isFalse());

        server.release();

        assertThat(outcomes).allSatisfy(o -> EnrichPluginTest.emitted(PluginHarness.await(o, EnrichPluginTest.WAIT)));
        assertThat(server.rawPaths()).hasSize(5);
        assertThat(server.peak()).isEqualTo(2);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldNotBlockInHandleWhenLimitIsReached() {
        open(1);

        // The server holds the first request until released, so a handle() that waited for room would never return.
        List<Outcome> outcomes = handleEach(50);

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Later.class));
        assertThat(outcomes).allSatisfy(o -> assertThat(toFuture(o).isDone()).isFalse());
        eventually(() -> server.rawPaths().size() == 1);
        server.release();
        assertThat(outcomes).allSatisfy(o -> EnrichPluginTest.emitted(PluginHarness.await(o, EnrichPluginTest.WAIT)));
        assertThat(server.peak()).isEqualTo(1);
    }

    @Test
    void shouldCompleteQueuedAndRunningLookupsWithRetryOnClose() {
        open(1);
        List<Outcome> outcomes = handleEach(3);
        eventually(() -> server.rawPaths().size() == 1);

        harness.close();
        harness = null;

        assertThat(outcomes).allSatisfy(o -> {
            Outcome.Retry retry = EnrichPluginTest.retried(PluginHarness.await(o, Duration.ofSeconds(1)));
            assertThat(retry.reason()).isEqualTo("the enrich plugin closed before the lookup completed");
        });
        eventually(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("arenaflow-enrich-http-")));
    }

    private void open(int maxConcurrentRequests) {
        harness = PluginHarness.open(new EnrichPlugin(), Map.of(
                EnrichConfig.URL_TEMPLATE_CONFIG, server.template(),
                EnrichConfig.MAX_CONCURRENT_REQUESTS_CONFIG, String.valueOf(maxConcurrentRequests),
                EnrichConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000"));
    }

    private List<Outcome> handleEach(int count) {
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            outcomes.add(handle(i));
        }
        return outcomes;
    }

    private Outcome handle(int i) {
        return harness.handle(RawRecordWriter.encode(1, 0, i, "dev-" + i, new byte[0], false));
    }

    private static java.util.concurrent.CompletableFuture<Outcome> toFuture(Outcome outcome) {
        return ((Outcome.Later) outcome).stage().toCompletableFuture();
    }

    private static void eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + EnrichPluginTest.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.onSpinWait();
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
