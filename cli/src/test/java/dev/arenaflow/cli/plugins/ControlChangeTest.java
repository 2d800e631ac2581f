package dev.arenaflow.cli.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.topology.control.PluginControl;
import dev.arenaflow.topology.control.PluginControl.State;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;

/** A change keeps what it does not touch of the current control, and refuses what cannot be applied. */
class ControlChangeTest {

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define("url", Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "required, no default")
            .define("limit", Type.INT, 10, Range.atLeast(1), Importance.LOW, "a bounded number")
            .define("mode", Type.STRING, "fast", Importance.LOW, "a free text");
    private static final OverrideCheck CHECK = new OverrideCheck("p", DEFINITION, Map.of("url", "http://x"));
    private static final Stamp STAMP = new Stamp("alice@ops-1", 2000, null);
    private static final PluginControl PAUSED = new PluginControl(State.PAUSED, Map.of("limit", "5"),
            "maintenance", "bob", 1000);

    @Test
    void shouldChangeTheStateKeepingOverridesAndReplacingWhoWhenAndWhy() {
        PluginControl next = ControlChange.state(State.ENABLED, new Stamp("alice", 2000, "done")).applyTo(PAUSED);

        assertThat(next).isEqualTo(new PluginControl(State.ENABLED, Map.of("limit", "5"), "done", "alice", 2000));
    }

    @Test
    void shouldClearTheReasonOfTheEarlierStateWhenNoneIsGiven() {
        assertThat(ControlChange.state(State.ENABLED, STAMP).applyTo(PAUSED).reason()).isNull();
    }

    @Test
    void shouldStartFromTheDefaultWhenThePluginHasNoRecord() {
        PluginControl next = ControlChange.state(State.DISABLED, STAMP).applyTo(PluginControl.DEFAULT);

        assertThat(next).isEqualTo(new PluginControl(State.DISABLED, Map.of(), null, "alice@ops-1", 2000));
    }

    @Test
    void shouldSetOverridesOverTheCurrentOnesKeepingStateAndReason() {
        PluginControl next = ControlChange.set(ordered("mode", "slow", "limit", "7"), CHECK, STAMP).applyTo(PAUSED);

        assertThat(next).isEqualTo(new PluginControl(State.PAUSED, Map.of("limit", "7", "mode", "slow"),
                "maintenance", "alice@ops-1", 2000));
    }

    @Test
    void shouldReplaceTheReasonWhenSetIsGivenOne() {
        PluginControl next = ControlChange.set(Map.of("mode", "slow"), CHECK, new Stamp("a", 1, "tuning"))
                .applyTo(PAUSED);

        assertThat(next.reason()).isEqualTo("tuning");
    }

    @Test
    void shouldRefuseABadValueWhenTheChangeIsMadeBeforeAnyRecordIsRead() {
        assertThatThrownBy(() -> ControlChange.set(Map.of("limit", "0"), CHECK, STAMP))
                .isInstanceOf(CommandFailure.class).hasMessageContaining("'0'").hasMessageContaining("limit");
    }

    @Test
    void shouldUnsetOverridesKeepingTheRest() {
        PluginControl current = new PluginControl(State.PAUSED, Map.of("limit", "5", "mode", "slow"), "m", "b", 1);

        PluginControl next = ControlChange.unset(List.of("limit"), CHECK, STAMP).applyTo(current);

        assertThat(next).isEqualTo(new PluginControl(State.PAUSED, Map.of("mode", "slow"), "m", "alice@ops-1", 2000));
    }

    @Test
    void shouldReturnTheCurrentControlItselfWhenNothingIsToBeUnset() {
        assertThat(ControlChange.unset(List.of("mode"), CHECK, STAMP).applyTo(PAUSED)).isSameAs(PAUSED);
    }

    @Test
    void shouldUnsetAnOverrideThePluginNoLongerDefines() {
        PluginControl stale = new PluginControl(State.ENABLED, Map.of("gone", "1"), null, "b", 1);

        assertThat(ControlChange.unset(List.of("gone"), CHECK, STAMP).applyTo(stale).config()).isEmpty();
    }

    @Test
    void shouldRefuseToUnsetAKeyThatIsNeitherOverriddenNorDefined() {
        assertThatThrownBy(() -> ControlChange.unset(List.of("colour"), CHECK, STAMP).applyTo(PAUSED))
                .isInstanceOf(CommandFailure.class).hasMessageContaining("has no setting colour");
    }

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
