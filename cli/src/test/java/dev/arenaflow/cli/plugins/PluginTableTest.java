package dev.arenaflow.cli.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.control.PluginControl;
import dev.arenaflow.topology.control.PluginControl.State;
import dev.arenaflow.topology.control.PluginStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginTableTest {

    private static final TopicContents CONTROL = TopicContents.existing("c");
    private static final TopicContents STATUS = TopicContents.existing("s");

    @Test
    void shouldHideValuesOfSecretLookingOverrides() {
        PluginControl control = new PluginControl(State.ENABLED, Map.of("api.key", "hunter2", "limit", "3"), null,
                null, 0);

        String text = PluginTable.render(List.of(new PluginOverview("p", true, control, null, List.of())), CONTROL,
                STATUS);

        assertThat(text).contains("api.key=[hidden], limit=3").doesNotContain("hunter2");
    }

    @Test
    void shouldMarkATaskWhoseAppliedStateIsNotTheWantedOne() {
        PluginControl paused = new PluginControl(State.PAUSED, Map.of(), null, "bob", 0);
        List<TaskReport> tasks = List.of(task("0_0", State.PAUSED, null), task("0_1", State.ENABLED, null));

        String text = PluginTable.render(List.of(new PluginOverview("p", true, paused, null, tasks)), CONTROL, STATUS);

        assertThat(text).contains("p/app/0_0                       paused  ")
                .contains("p/app/0_1                       enabled (wanted: paused)  ");
    }

    @Test
    void shouldSayHowManySourcesATaskHasQuarantined() {
        PluginStatus two = new PluginStatus("p", "app", "0_0", State.ENABLED, null, 2, 1764000000000L);
        PluginStatus one = new PluginStatus("p", "app", "0_1", State.ENABLED, null, 1, 1764000000000L);
        List<TaskReport> tasks = List.of(new TaskReport(two.key(), two, null), new TaskReport(one.key(), one, null),
                task("0_2", State.ENABLED, null));

        String text = PluginTable.render(List.of(new PluginOverview("p", true, null, null, tasks)), CONTROL, STATUS);

        assertThat(text).contains("p/app/0_0                       enabled, 2 sources quarantined  ")
                .contains("p/app/0_1                       enabled, 1 source quarantined  ")
                .doesNotContain("0 sources");
    }

    @Test
    void shouldCompareWithEnabledWhenThePluginHasNoControlRecord() {
        List<TaskReport> tasks = List.of(task("0_0", State.PAUSED, "circuit breaker tripped: 20 failures in 10 s"));

        String text = PluginTable.render(List.of(new PluginOverview("p", true, null, null, tasks)), CONTROL, STATUS);

        assertThat(text).contains("1 paused (1 with problems)")
                .contains("paused (wanted: enabled)")
                .contains("circuit breaker tripped: 20 failures in 10 s");
    }

    @Test
    void shouldOmitTheTaskTableAndNoteWhenNothingIsMissing() {
        TopicContents status = TopicContents.existing("s");
        status.add(new org.apache.kafka.clients.consumer.ConsumerRecord<>("s", 0, 0, "q/app/0_0".getBytes(),
                task("0_0", State.ENABLED, null).status().toJson()));

        String text = PluginTable.render(List.of(new PluginOverview("p", true, null, null, List.of())), CONTROL, status);

        assertThat(text).isEqualTo("""
                PLUGIN  WANTED             OVERRIDES  TASKS          CHANGED
                p       enabled (default)  -          none reported  -
                """);
    }

    private static TaskReport task(String task, State state, String problem) {
        PluginStatus status = new PluginStatus("p", "app", task, state, problem, 0, 1764000000000L);
        return new TaskReport(status.key(), status, null);
    }
}
