package dev.arenaflow.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** Start-up refuses settings under which one topic would play two roles. */
class TopicRolesTest {

    private static Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topic-roles");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(ArenaflowConfig.REGISTRY_URL, "http://127.0.0.1:1/apis/registry/v2");
        props.putAll(extra);
        return props;
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
    void topicsThatDifferOnlyInDotAgainstUnderscoreAreRefused() {
        Map<String, String> props = settings(Map.of(ArenaflowConfig.CONTROL_TOPIC, "arenaflow_status"));
        assertThatThrownBy(() -> ArenaflowSettings.validate(props, getClass().getClassLoader()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Topics arenaflow_status and arenaflow.status collide")
                .hasMessageContaining("the control topic (" + ArenaflowConfig.CONTROL_TOPIC + ")")
                .hasMessageContaining("the status topic (" + ArenaflowConfig.STATUS_TOPIC + ")");
    }

    @Test
    void aPrefixThatMakesAnIllegalTopicNameIsRefusedNamingItsSetting() {
        Map<String, String> props = settings(Map.of(ArenaflowConfig.SNAPSHOT_TOPIC_PREFIX, "snap shots."));
        assertThatThrownBy(() -> ArenaflowSettings.validate(props, getClass().getClassLoader()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Topic snap shots.session, plugin 'session's snapshot topic ("
                        + ArenaflowConfig.SNAPSHOT_TOPIC_PREFIX + " and " + ArenaflowConfig.PLUGINS + ")")
                .hasMessageContaining("is not a legal Kafka topic name");
    }

    @Test
    void aPrefixThatMakesATopicNameTooLongIsRefused() {
        Map<String, String> props = settings(Map.of(ArenaflowConfig.DLQ_TOPIC_PREFIX, "d".repeat(245) + "."));
        assertThatThrownBy(() -> ArenaflowSettings.validate(props, getClass().getClassLoader()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("plugin 'session's dead-letter topic (" + ArenaflowConfig.DLQ_TOPIC_PREFIX)
                .hasMessageContaining("249");
    }

    @Test
    void theDefaultsKeepEveryRoleApart() {
        assertThat(ArenaflowSettings.validate(settings(Map.of()), getClass().getClassLoader()).plugins()).hasSize(1);
    }
}
