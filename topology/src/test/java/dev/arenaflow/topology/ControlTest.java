package dev.arenaflow.topology;

import static dev.arenaflow.topology.plugins.FlakyPlugin.BREAK;
import static dev.arenaflow.topology.plugins.FlakyPlugin.THROW;
import static dev.arenaflow.topology.plugins.FlakyPlugin.TYPE;
import static dev.arenaflow.topology.testing.ArenaflowDriver.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.control.PluginControl;
import dev.arenaflow.topology.control.PluginStatus;
import dev.arenaflow.topology.plugins.FailingPlugin;
import dev.arenaflow.topology.plugins.FlakyPlugin;
import dev.arenaflow.topology.testing.ArenaflowDriver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Steering plugins at runtime through control records, with the driver: pause and resume,
 * disable, settings changed or refused, and the circuit breaker. A change is applied at the next
 * punctuation, within 20 ms of wall-clock time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ControlTest {

    private static final Duration TICK = Duration.ofMillis(50);
    private ArenaflowDriver driver;

    @BeforeEach
    void reset() {
        FlakyPlugin.reset();
        FailingPlugin.OPENS.set(0);
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start(String... settings) {
        Map<String, String> props = new HashMap<>(Map.of(ArenaflowConfig.PLUGINS, "flaky,session"));
        for (int i = 0; i < settings.length; i += 2) {
            props.put(settings[i], settings[i + 1]);
        }
        driver = new ArenaflowDriver(props);
    }

    private void steer(String plugin, String json) {
        driver.control(plugin, json);
        driver.advance(TICK);
    }

    @Test
    void shouldHoldMessagesWhilePausedAndDispatchThemInOrderOnResumeWhileOtherPluginsFlow() {
        start();
        driver.send("a", 1, TYPE);
        steer("flaky", "{\"state\":\"paused\",\"reason\":\"maintenance\",\"by\":\"test\"}");
        driver.send("a", 2, TYPE);
        driver.send("b", 1, TYPE);
        driver.send("a", 3, TYPE);

        assertThat(FlakyPlugin.DISPATCHES).containsExactly("a:1#1");
        assertThat(driver.metric(PluginMeterNames.HELD)).isEqualTo(2.0);
        assertThat(driver.metric(PluginMeterNames.ARENA_ENTRIES)).isEqualTo(3.0);
        assertThat(driver.changelog("arena-flaky")).filteredOn(r -> r.value() != null).hasSize(3);
        assertThat(driver.snapshots("session")).hasSize(4);
        assertThat(driver.statuses()).extracting(PluginStatus::plugin, PluginStatus::state, PluginStatus::problem)
                .contains(org.assertj.core.groups.Tuple.tuple("flaky", PluginControl.State.PAUSED, null));

        steer("flaky", "{\"state\":\"enabled\"}");

        // In input order per source; sources are independent.
        assertThat(FlakyPlugin.DISPATCHES).containsExactlyInAnyOrder("a:1#1", "a:2#1", "b:1#1", "a:3#1");
        assertThat(driver.snapshots("flaky")).extracting(s -> s.getMeta().getSource() + ":" + s.getMeta().getSequence())
                .containsSubsequence("a:1", "a:2", "a:3").contains("b:1").hasSize(4);
        assertThat(driver.metric(PluginMeterNames.HELD)).isZero();
    }

    @Test
    void shouldNeverStallTheStreamThreadForAPausedPluginButParkThenDeadLetterPastItsBounds() {
        start("plugin.flaky.max.in.flight", "2", "plugin.flaky.retry.max.parked", "1");
        steer("flaky", "{\"state\":\"paused\"}");
        for (int i = 1; i <= 4; i++) {
            driver.send("a", i, TYPE);
        }

        assertThat(FlakyPlugin.DISPATCHES).isEmpty();
        assertThat(driver.metric(PluginMeterNames.PARKED)).isEqualTo(1.0);
        TestRecord<byte[], byte[]> dead = driver.deadLetters("flaky").get(0);
        assertThat(header(dead, DeadLetterHeaders.ERROR_CODE)).isEqualTo("PARKED_LIMIT");
        assertThat(header(dead, DeadLetterHeaders.ORIGIN_OFFSET)).isEqualTo("3");
        assertThat(header(dead, DeadLetterHeaders.ERROR_MESSAGE)).contains("halted");
        assertThat(driver.snapshots("session")).hasSize(4);

        steer("flaky", null);
        assertThat(driver.snapshots("flaky")).extracting(s -> s.getMeta().getSequence()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void shouldSkipAndCountRecordsWhileDisabledAndHandleNewOnesOnceEnabled() {
        start();
        steer("flaky", "{\"state\":\"disabled\"}");
        driver.send("a", 1, TYPE);
        driver.send("a", 2, TYPE);

        assertThat(FlakyPlugin.DISPATCHES).isEmpty();
        assertThat(driver.metric(PluginMeterNames.DISABLED_SKIPPED)).isEqualTo(2.0);
        assertThat(driver.metric(PluginMeterNames.ARENA_ENTRIES)).isZero();

        steer("flaky", "{\"state\":\"enabled\"}");
        driver.send("a", 3, TYPE);
        assertThat(FlakyPlugin.DISPATCHES).containsExactly("a:3#1");
    }

    @Test
    void shouldOpenANewInstanceWithChangedSettingsAndRefuseInvalidOnesKeepingTheOld() {
        start(ArenaflowConfig.PLUGINS, "failing,session", "plugin.failing.reason", "start-up reason");
        steer("failing", "{\"state\":\"enabled\",\"config\":{\"reason\":\"runtime reason\"}}");
        driver.send("a", 1, 5, FailingPlugin.REJECT);

        steer("failing", "{\"state\":\"enabled\",\"config\":{\"reason\":\"x\",\"no.such\":\"1\"}}");
        steer("failing", "{\"state\":\"enabled\",\"config\":{\"timeout.ms\":\"5\"}}");
        driver.send("a", 2, 5, FailingPlugin.REJECT);

        assertThat(driver.deadLetters("failing")).extracting(r -> header(r, DeadLetterHeaders.ERROR_MESSAGE))
                .containsExactly("runtime reason", "runtime reason");
        assertThat(FailingPlugin.OPENS.get()).isEqualTo(2);
        List<String> problems = driver.statuses().stream().map(PluginStatus::problem)
                .filter(java.util.Objects::nonNull).toList();
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("no.such").contains("keeping {reason=runtime reason}");
        assertThat(problems.get(1)).contains("timeout.ms").contains("restart");
    }

    @Test
    void shouldHandChangedSettingsToAPluginThatTakesThemLive() {
        start();
        steer("flaky", "{\"state\":\"enabled\",\"config\":{\"label\":\"blue\"}}");

        assertThat(FlakyPlugin.LABELS).containsExactly("blue");
        assertThat(FlakyPlugin.OPENS.get()).isEqualTo(1);
    }

    @Test
    void shouldReportAControlRecordThatIsNotValidAndKeepTheState() {
        start();
        steer("flaky", "{\"state\":\"sleeping\"}");
        driver.send("a", 1, TYPE);

        assertThat(FlakyPlugin.DISPATCHES).containsExactly("a:1#1");
        assertThat(driver.statuses()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(PluginControl.State.ENABLED);
            assertThat(s.problem()).contains("sleeping");
        });
    }

    @Test
    void shouldPauseThePluginEverywhereWhenItsCircuitBreakerTripsUntilAnOperatorResumesIt() {
        start("plugin.flaky.breaker.min.attempts", "4", "plugin.flaky.breaker.failure.rate", "0.5",
                "plugin.flaky.retry.backoff", "1h");
        driver.send("a", 1, TYPE);
        driver.send("b", 1, TYPE, (byte) 1, THROW);
        driver.send("c", 1, TYPE, (byte) 1, THROW);
        driver.send("d", 1, TYPE, (byte) 1, THROW);
        driver.send("e", 1, TYPE);

        assertThat(FlakyPlugin.DISPATCHES).containsExactly("a:1#1", "b:1#1", "c:1#1", "d:1#1");
        PluginControl written = PluginControl.fromJson(driver.controlWrites().get(0).getBytes(StandardCharsets.UTF_8));
        assertThat(written.state()).isEqualTo(PluginControl.State.PAUSED);
        assertThat(written.by()).startsWith("circuit-breaker@");
        assertThat(written.reason()).contains("3 of the last 4 attempts failed");
        assertThat(driver.statuses()).extracting(PluginStatus::problem).anySatisfy(p -> assertThat(p).contains("circuit breaker"));
        assertThat(driver.metric(PluginMeterNames.BREAKER_TRIPS)).isEqualTo(1.0);

        steer("flaky", "{\"state\":\"enabled\",\"by\":\"operator\"}");
        assertThat(FlakyPlugin.DISPATCHES).containsExactly("a:1#1", "b:1#1", "c:1#1", "d:1#1", "e:1#1");
    }

    @Test
    void shouldPauseAPluginWhoseHandleBlockedTheStreamThreadTooLong() {
        start("plugin.flaky.handle.timeout.ms", "50");
        driver.send("a", 1, TYPE, (byte) 1, FlakyPlugin.SLEEP, (byte) 2);
        driver.send("a", 2, TYPE);

        assertThat(driver.snapshots("flaky")).extracting(s -> s.getMeta().getSequence()).containsExactly(1L);
        assertThat(FlakyPlugin.DISPATCHES).containsExactly("a:1#1");
        assertThat(driver.controlWrites()).singleElement().asString().contains("\"state\":\"paused\"")
                .contains("blocked the stream thread");
    }

    @Test
    void shouldDeadLetterAMessageWhosePluginThrewAnErrorAndPauseThePlugin() {
        start();
        driver.send("a", 1, TYPE, (byte) 1, BREAK);
        driver.send("a", 2, TYPE);

        TestRecord<byte[], byte[]> dead = driver.deadLetters("flaky").get(0);
        assertThat(header(dead, DeadLetterHeaders.ERROR_CODE)).isEqualTo("PLUGIN_ERROR");
        assertThat(header(dead, DeadLetterHeaders.ERROR_CLASS)).isEqualTo(NoClassDefFoundError.class.getName());
        assertThat(FlakyPlugin.DISPATCHES).containsExactly("a:1#1");
        assertThat(driver.controlWrites()).singleElement().asString().contains("\"state\":\"paused\"")
                .contains("NoClassDefFoundError");
        assertThat(driver.snapshots("session")).hasSize(2);
    }
}
