package dev.arenaflow.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.topology.testing.GreetingPlugins;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Start-up refuses plugin names that are arenaflow's own or cannot be part of a topic name. */
class PluginNamesTest {

    @TempDir
    Path dir;

    private static Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "plugin-names");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(ArenaflowConfig.REGISTRY_URL, "http://127.0.0.1:1/apis/registry/v2");
        props.putAll(extra);
        return props;
    }

    @Test
    void decodeIsTheOnlyReservedName() {
        assertThat(PluginNames.reserved()).containsExactly(DeadLetterHeaders.DECODE_PLUGIN);
    }

    @Test
    void aPluginNamedDecodeIsRefusedEvenWhenTheDecoderWritesElsewhere() throws Exception {
        GreetingPlugins.pluginWithLibrary(dir.resolve("decode.jar"), "decode", "one");
        PluginCatalog catalog = PluginCatalog.load(getClass().getClassLoader(), List.of(dir));
        // With the decoder's topic moved, no topic is shared; the arenaflow.plugin header still would be.
        Map<String, String> props = settings(Map.of(ArenaflowConfig.PLUGINS, "session,decode",
                ArenaflowConfig.DECODE_DLQ_TOPIC, "malformed"));
        assertThatThrownBy(() -> ArenaflowSettings.validate(props, catalog))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value [session, decode] for configuration " + ArenaflowConfig.PLUGINS)
                .hasMessageContaining("plugin name 'decode' is reserved")
                .hasMessageContaining("arenaflow.plugin=decode");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b", "snap shot", "a/b", "ünicode", "a:b"})
    void aNameThatCannotBePartOfATopicNameIsRefused(String name) {
        Map<String, String> props = settings(Map.of(ArenaflowConfig.PLUGINS, name));
        assertThatThrownBy(() -> ArenaflowSettings.validate(props, getClass().getClassLoader()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("for configuration " + ArenaflowConfig.PLUGINS)
                .hasMessageContaining("plugin name '" + name + "' cannot be part of Kafka topic and store names")
                .hasMessageContaining(PluginNames.RULE);
    }

    @Test
    void aNameLongerThanAHundredCharactersIsRefused() {
        String name = "p".repeat(101);
        assertThatThrownBy(() -> PluginNames.check(List.of(name)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("plugin name '" + name + "'");
    }

    @Test
    void aNameOfLettersDigitsDashesAndUnderscoresIsAccepted() throws Exception {
        PluginNames.check(List.of("session", "Enrich-2_b", "p".repeat(100)));
        GreetingPlugins.pluginWithLibrary(dir.resolve("greet.jar"), "greet-2_x", "one");
        PluginCatalog catalog = PluginCatalog.load(getClass().getClassLoader(), List.of(dir));
        ArenaflowSettings settings = ArenaflowSettings.validate(
                settings(Map.of(ArenaflowConfig.PLUGINS, "greet-2_x")), catalog);
        assertThat(settings.plugins()).extracting(PluginSpec::name).containsExactly("greet-2_x");
    }
}
