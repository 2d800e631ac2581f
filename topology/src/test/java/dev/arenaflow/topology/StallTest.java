package dev.arenaflow.topology;

import static dev.arenaflow.topology.plugins.ControlledAsyncPlugin.TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.topology.plugins.ControlledAsyncPlugin;
import dev.arenaflow.topology.testing.ArenaflowDriver;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The progress watchdog's three actions on a task whose async attempt never completes, on the
 * driver's wall clock: each reports the stall on the meters; pause also pauses the plugin on every
 * instance through the control topic; fail also stops the stream thread.
 */
class StallTest {

    private static final Duration TICK = Duration.ofMillis(50);

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

    private void start(String action) {
        driver = ArenaflowDriver.forPlugins("async", "plugin.async.watchdog.no.progress.ms", "1000",
                "plugin.async.watchdog.action", action);
        driver.send("a", 1, TYPE);
        driver.send("b", 1, TYPE);
        assertThat(ControlledAsyncPlugin.pending()).containsExactlyInAnyOrder("a:1#1", "b:1#1");
        driver.advance(Duration.ofMillis(900));
        assertThat(driver.metric(PluginMeterNames.STALLED)).isZero();
    }

    @Test
    void shouldReportAStallOnTheMetersAndEndItWithTheNextOutcome() {
        start("report");
        driver.advance(Duration.ofMillis(200));
        assertThat(driver.metric(PluginMeterNames.STALLED)).isEqualTo(1.0);
        assertThat(driver.metric(PluginMeterNames.STALLS)).isEqualTo(1.0);
        assertThat(driver.controlWrites()).isEmpty();

        ControlledAsyncPlugin.emit("a:1#1");
        driver.advance(TICK);
        assertThat(driver.metric(PluginMeterNames.STALLED)).isZero();
        assertThat(driver.metric(PluginMeterNames.STALLS)).isEqualTo(1.0);
    }

    @Test
    void shouldPauseThePluginOnEveryInstanceWhenTheActionIsPause() {
        start("pause");
        driver.advance(Duration.ofMillis(200));
        assertThat(driver.metric(PluginMeterNames.STALLS)).isEqualTo(1.0);
        assertThat(driver.controlWrites()).singleElement().asString().contains("\"state\":\"paused\"")
                .contains("progress watchdog").contains("no outcome applied");

        driver.send("c", 1, TYPE);
        assertThat(ControlledAsyncPlugin.pending()).doesNotContain("c:1#1");
    }

    @Test
    void shouldStopTheStreamThreadWhenTheActionIsFail() {
        start("fail");
        assertThatThrownBy(() -> driver.advance(Duration.ofMillis(200)))
                .hasRootCauseInstanceOf(PluginStalledException.class)
                .rootCause().hasMessageContaining("Plugin async stalled in task 0_0 (watchdog.action=fail): "
                        + "no outcome applied for");
    }
}
