package dev.arenaflow.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class MaxBlockTest {

    @Test
    void shouldWaitAtMostHalfTheMaxPollIntervalUnderAtLeastOnce() {
        assertThat(ArenaflowTopology.maxBlockMs(streams(StreamsConfig.AT_LEAST_ONCE, null))).isEqualTo(150_000);
        assertThat(ArenaflowTopology.maxBlockMs(streams(StreamsConfig.AT_LEAST_ONCE, "60000"))).isEqualTo(30_000);
    }

    @Test
    void shouldAlsoStayWithinHalfTheTransactionTimeoutUnderExactlyOnce() {
        assertThat(ArenaflowTopology.maxBlockMs(streams(StreamsConfig.EXACTLY_ONCE_V2, null))).isEqualTo(5_000);
    }

    private static StreamsConfig streams(String guarantee, String maxPollIntervalMs) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "app");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        if (maxPollIntervalMs != null) {
            props.put("max.poll.interval.ms", maxPollIntervalMs);
        }
        return new StreamsConfig(props);
    }
}
