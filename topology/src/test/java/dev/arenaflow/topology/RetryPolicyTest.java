package dev.arenaflow.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = PluginLimits.of(Map.of(PluginLimits.RETRY_BACKOFF, "1s,5s,30s,5m,5s")).retry();

    @Test
    void shouldWaitTheNthDelayAfterTheNthAttemptAndRepeatTheLast() {
        assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayAfter(4)).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.delayAfter(5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.delayAfter(9)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldHaveOneTierPerDistinctDelayAndPickTheFirstLongEnough() {
        assertThat(policy.tiers()).extracting(RetryPolicy::tierName).containsExactly("1s", "5s", "30s", "5m");
        assertThat(policy.tierFor(Duration.ofMillis(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.tierFor(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.tierFor(Duration.ofSeconds(6))).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.tierFor(Duration.ofHours(2))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void shouldNameTiersInTheirLargestWholeUnit() {
        assertThat(RetryPolicy.tierName(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(RetryPolicy.tierName(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(RetryPolicy.tierName(Duration.ofMinutes(120))).isEqualTo("2h");
        assertThat(RetryPolicy.tierName(Duration.ofDays(1))).isEqualTo("1d");
        assertThat(RetryPolicy.parseDuration(" 250MS ")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void shouldRefuseBadSchedulesAndOrderedRetryWithoutOrdering() {
        assertThatThrownBy(() -> PluginLimits.of(Map.of(PluginLimits.RETRY_BACKOFF, "1s,soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("retry.backoff").hasMessageContaining("'soon'");
        assertThatThrownBy(() -> PluginLimits.of(Map.of(PluginLimits.RETRY_BACKOFF, "0s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("zero");
        assertThatThrownBy(() -> PluginLimits.of(Map.of(PluginLimits.RETRY_BACKOFF,
                "1s,2s,3s,4s,5s,6s,7s,8s,9s,10s,11s"))).isInstanceOf(ConfigException.class).hasMessageContaining("at most 10");
        assertThatThrownBy(() -> PluginLimits.of(Map.of(PluginLimits.RETRY_ORDERED, "true", PluginLimits.ORDERED, "false")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ordered=true");
        assertThatThrownBy(() -> PluginLimits.of(Map.of(PluginLimits.RETRY_JITTER, "1.5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("retry.jitter");
    }
}
