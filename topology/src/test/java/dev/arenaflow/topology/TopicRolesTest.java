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

/** Start-up refuses settings under which one topic would play two roles. */
class TopicRolesTest {

    @TempDir
    Path dir;

    private static Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topic-roles");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(ArenaflowConfig.REGISTRY_URL, "http://127.0.0.1:1/apis/registry/v2");
        props.putAll(extra);
        return props;
    }

    @Test
    void aPluginNamedDecodeIsRefusedForItsDeadLetterTopic() throws Exception {
        GreetingPlugins.pluginWithLibrary(dir.resolve("decode.jar"), "decode", "one");
        Map<String, String> props = settings(Map.of(ArenaflowConfig.PLUGINS, "decode"));
        PluginCatalog catalog = PluginCatalog.load(getClass().getClassLoader(), List.of(dir));
        assertThatThrownBy(() -> ArenaflowSettings.validate(props, catalog))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Topic arenaflow.dlq.decode would be both the decoder's dead-letter topic")
                .hasMessageContaining("plugin 'decode's dead-letter topic");
    }

    @Test
    void aTopicSettingThatMakesTwoRolesMeetIsRefused() {
        Map<String, String> props = settings(Map.of(ArenaflowConfig.CONTROL_TOPIC, "snapshots.session"));
        assertThatThrownBy(() -> ArenaflowSettings.validate(props, getClass().getClassLoader()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Topic snapshots.session would be both the control topic")
                .hasMessageContaining("plugin 'session's snapshot topic");
        Map<String, String> input = settings(Map.of(ArenaflowConfig.INPUT_TOPICS, "arenaflow.status"));
        assertThatThrownBy(() -> ArenaflowSettings.validate(input, getClass().getClassLoader()))
                .hasMessageContaining("Topic arenaflow.status would be both an input topic");
    }

    @Test
    void theDefaultsKeepEveryRoleApart() {
        assertThat(ArenaflowSettings.validate(settings(Map.of()), getClass().getClassLoader()).plugins()).hasSize(1);
    }
}
