package dev.arenaflow.cli.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.topology.PluginLimits;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OverrideCheckTest {

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define("url", Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "required")
            .define("limit", Type.INT, 10, Range.atLeast(1), Importance.LOW, "bounded")
            .define("retry.delay.ms", Type.LONG, 100L, Importance.LOW, "the plugin's own retry setting")
            .define("api.key", Type.STRING, "", (name, value) -> {
                if (value.toString().startsWith("x")) {
                    throw new ConfigException(name, value, "must not start with x");
                }
            }, Importance.LOW, "a secret");

    private final OverrideCheck check = new OverrideCheck("p", DEFINITION,
            Map.of("url", "http://x", PluginLimits.MAX_IN_FLIGHT, "5"));

    static Iterable<String> reserved() {
        return PluginLimits.names();
    }

    @ParameterizedTest
    @MethodSource("reserved")
    void shouldRefuseEveryOneOfArenaflowsOwnPluginSettingsAsNeedingARestart(String key) {
        assertThatThrownBy(() -> check.checkKey(key)).isInstanceOf(CommandFailure.class)
                .hasMessage(key + " is arenaflow's own setting for every plugin and is read only at start-up; set "
                        + "plugin.p." + key + " in the settings and restart the application")
                .extracting(e -> ((CommandFailure) e).exitCode()).isEqualTo(CommandFailure.USAGE);
    }

    @Test
    void shouldAcceptThePluginsOwnSettingsEvenWhenTheyStartWithRetry() {
        assertThatCode(() -> check.checkKey("retry.delay.ms")).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseAnUnknownKeyListingTheKnownOnes() {
        assertThatThrownBy(() -> check.checkKey("colour"))
                .hasMessage("plugin 'p' has no setting colour; its settings are [api.key, limit, retry.delay.ms, url]");
    }

    @Test
    void shouldSayWhenAPluginHasNoSettingsOfItsOwn() {
        assertThatThrownBy(() -> new OverrideCheck("s", new ConfigDef(), Map.of()).checkKey("x"))
                .hasMessage("plugin 's' has no setting x; it has no settings of its own");
    }

    @Test
    void shouldRefuseAKeyGivenWithThePluginPrefix() {
        assertThatThrownBy(() -> check.checkKey("plugin.p.limit")).hasMessageContaining("without the plugin.p. prefix: limit");
    }

    @Test
    void shouldRefuseAValueOfTheWrongTypeOrOutOfRangeNamingKeyAndValue() {
        assertThatThrownBy(() -> check.checkValue("limit", "many"))
                .hasMessageStartingWith("invalid value 'many' for setting limit of plugin 'p': ");
        assertThatThrownBy(() -> check.checkValue("limit", "0"))
                .hasMessageStartingWith("invalid value '0' for setting limit of plugin 'p': ")
                .hasMessageContaining("at least 1");
        assertThatCode(() -> check.checkValue("limit", "3")).doesNotThrowAnyException();
    }

    @Test
    void shouldNotRepeatTheValueOfASecretLookingSetting() {
        assertThatThrownBy(() -> check.checkValue("api.key", "xhunter2"))
                .hasMessageContaining("api.key").hasMessageContaining("[hidden]").hasMessageNotContaining("hunter2");
    }

    @Test
    void shouldCheckTheOverridesTogetherWithTheStartUpSettings() {
        assertThatCode(() -> check.checkAll(Map.of("limit", "3"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> new OverrideCheck("p", DEFINITION, Map.of()).checkAll(Map.of("limit", "3")))
                .isInstanceOf(CommandFailure.class).hasMessageContaining("url");
    }
}
