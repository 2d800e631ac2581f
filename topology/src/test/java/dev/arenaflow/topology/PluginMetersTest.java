package dev.arenaflow.topology;

import static dev.arenaflow.topology.plugins.FlakyPlugin.REJECT;
import static dev.arenaflow.topology.plugins.FlakyPlugin.THROW;
import static dev.arenaflow.topology.plugins.FlakyPlugin.TYPE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.plugins.FlakyPlugin;
import dev.arenaflow.topology.testing.ArenaflowDriver;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-plugin meters: their names and tags, and that each counts what it says. */
class PluginMetersTest {

    private ArenaflowDriver driver;

    @BeforeEach
    void start() {
        FlakyPlugin.reset();
        driver = new ArenaflowDriver(Map.of(ArenaflowConfig.PLUGINS, "flaky", "plugin.flaky.retry.jitter", "0",
                "plugin.flaky.retry.backoff", "1s,5s"));
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void shouldRegisterEveryPluginMeterTaggedWithPluginAndTask() {
        driver.send("a", 1, TYPE);
        Set<String> names = driver.meters().getMeters().stream().map(m -> m.getId().getName())
                .filter(n -> n.startsWith("arenaflow.")).collect(Collectors.toSet());
        assertThat(names).containsAll(PluginMeterNames.ALL.stream()
                .filter(n -> !n.equals(PluginMeterNames.DEAD_LETTERS)).toList());
        assertThat(driver.meters().getMeters()).filteredOn(m -> m.getId().getName().startsWith("arenaflow."))
                .allSatisfy(m -> assertThat(tags(m)).containsEntry("plugin", "flaky").containsEntry("task", "0_0"));
    }

    @Test
    void shouldCountRecordsInSnapshotsOutAndHandleCalls() {
        driver.send("a", 1, TYPE);
        driver.send("b", 1, TYPE);
        driver.send("c", 1, TYPE);
        assertThat(driver.metric(PluginMeterNames.RECORDS_IN)).isEqualTo(3.0);
        assertThat(driver.metric(PluginMeterNames.SNAPSHOTS_OUT)).isEqualTo(driver.snapshots("flaky").size())
                .isEqualTo(3.0);
        assertThat(driver.meters().get(PluginMeterNames.HANDLE_DURATION).timer().count()).isEqualTo(3);
        assertThat(driver.metric(PluginMeterNames.DEAD_LETTERS)).isZero();
    }

    @Test
    void shouldCountDeadLettersByErrorCodeAndRetriesByTier() {
        driver.send("a", 1, TYPE, (byte) 1, REJECT);
        driver.send("b", 1, TYPE, (byte) 1, THROW);
        assertThat(driver.meters().get(PluginMeterNames.DEAD_LETTERS).tag("code", "REJECTED").counter().count())
                .isEqualTo(driver.deadLetters("flaky").size()).isEqualTo(1.0);
        assertThat(driver.meters().get(PluginMeterNames.RETRIES).tag("tier", "1s").counter().count()).isEqualTo(1.0);
        assertThat(driver.meters().get(PluginMeterNames.RETRIES).tag("tier", "5s").counter().count()).isZero();
    }

    @Test
    void shouldShowNoRestoredEntriesInATaskThatStartedEmpty() {
        driver.send("a", 1, TYPE);
        assertThat(driver.meters().get(PluginMeterNames.RESTORED_ENTRIES).gauge().value()).isZero();
    }

    @Test
    void shouldShowTheAppliedStateAsOneOfThreeSeries() {
        driver.send("a", 1, TYPE);
        assertThat(state("enabled")).isEqualTo(1.0);
        driver.control("flaky", "{\"state\":\"paused\"}");
        driver.advance(java.time.Duration.ofMillis(100));
        assertThat(state("enabled")).isZero();
        assertThat(state("paused")).isEqualTo(1.0);
        assertThat(state("disabled")).isZero();
    }

    @Test
    void shouldRemoveTheTasksMetersWhenItCloses() {
        driver.send("a", 1, TYPE);
        ArenaflowDriver closed = driver;
        driver = null;
        assertThat(closed.meters().find(PluginMeterNames.ARENA_ENTRIES).meters()).hasSize(1);
        closed.close();
        assertThat(closed.meters().find(PluginMeterNames.ARENA_ENTRIES).meters()).isEmpty();
        assertThat(closed.meters().find(PluginMeterNames.RECORDS_IN).meters()).isEmpty();
    }

    private double state(String state) {
        return driver.meters().get(PluginMeterNames.STATE).tag("state", state).gauge().value();
    }

    private static Map<String, String> tags(Meter meter) {
        return meter.getId().getTags().stream().collect(Collectors.toMap(Tag::getKey, Tag::getValue));
    }
}
