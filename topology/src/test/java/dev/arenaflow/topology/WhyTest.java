package dev.arenaflow.topology;

import static dev.arenaflow.topology.plugins.ControlledAsyncPlugin.TYPE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.plugins.ControlledAsyncPlugin;
import dev.arenaflow.topology.testing.ArenaflowDriver;
import dev.arenaflow.topology.why.PendingMessage;
import dev.arenaflow.topology.why.PendingMessage.Stage;
import dev.arenaflow.topology.why.SourceReport;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** "Why is this source not done?", answered by the task holding the source, in each stage a message can be in. */
class WhyTest {

    private ArenaflowDriver driver;

    @BeforeEach
    void reset() {
        ControlledAsyncPlugin.reset();
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start(String... settings) {
        driver = ArenaflowDriver.forPlugins("async", settings);
    }

    @Test
    void shouldSayWhichMessageIsInFlightSinceWhenAndWhichWaitBehindIt() {
        start();
        driver.send("a", 1, TYPE);
        driver.send("b", 1, TYPE);
        driver.send("a", 2, TYPE);

        SourceReport report = single(driver.why("async", "a"));
        assertThat(report.task()).isEqualTo("0_0");
        assertThat(report.quarantined()).isFalse();
        assertThat(report.messages()).extracting(PendingMessage::offset, PendingMessage::stage, PendingMessage::attempt,
                PendingMessage::behindOffset).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, Stage.IN_FLIGHT, 1, -1L),
                        org.assertj.core.groups.Tuple.tuple(2L, Stage.QUEUED, 1, 0L));
        assertThat(report.messages().get(0).sinceMs()).isPositive();
        assertThat(driver.why("async", "nobody")).isEmpty();
    }

    @Test
    void shouldSayASourceIsQuarantinedAndItsBacklogParked() {
        start("plugin.async.max.in.flight", "10", "plugin.async.quarantine.max.share", "0.1");
        for (int sequence = 1; sequence <= 4; sequence++) {
            driver.send("hot", sequence, TYPE);
        }

        SourceReport report = single(driver.why("async", "hot"));
        assertThat(report.quarantined()).isTrue();
        assertThat(driver.statuses()).last().satisfies(s -> assertThat(s.quarantined()).isOne());
        assertThat(driver.metric(PluginMeterNames.QUARANTINED_SOURCES)).isOne();
        assertThat(report.messages()).extracting(PendingMessage::stage)
                .containsExactly(Stage.IN_FLIGHT, Stage.PARKED, Stage.PARKED, Stage.PARKED);
    }

    @Test
    void shouldSayAMessageWaitsForItsRetryWithItsLastErrorAndTheOthersAreParkedBehindIt() {
        start("plugin.async.retry.ordered", "true", "plugin.async.retry.jitter", "0");
        driver.send("a", 1, TYPE, ControlledAsyncPlugin.RETRY);
        driver.send("a", 2, TYPE);

        List<PendingMessage> messages = single(driver.why("async", "a")).messages();
        assertThat(messages).extracting(PendingMessage::stage).containsExactly(Stage.WAITING_FOR_RETRY, Stage.PARKED);
        assertThat(messages.get(0).attempt()).isEqualTo(2);
        assertThat(messages.get(0).untilMs()).isPositive();
        assertThat(messages.get(0).lastError()).isEqualTo("RETRY: asked to retry");
    }

    @Test
    void shouldSayAMessageIsHeldBecauseThePluginIsPaused() {
        start();
        driver.control("async", "{\"state\":\"paused\"}");
        driver.send("a", 1, TYPE);

        assertThat(single(driver.why("async", "a")).messages()).extracting(PendingMessage::stage)
                .containsExactly(Stage.HELD_BY_PAUSE);
    }

    private static SourceReport single(List<SourceReport> reports) {
        assertThat(reports).hasSize(1);
        return reports.get(0);
    }
}
