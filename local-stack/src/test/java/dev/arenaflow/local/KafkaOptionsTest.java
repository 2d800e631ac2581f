package dev.arenaflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaOptionsTest {

    @Test
    void shouldDefaultToOnePartitionHalfAGigabyteAndSingleInternalPartitions() {
        assertThat(KafkaOptions.defaults()).isEqualTo(new KafkaOptions(1, "512m", Map.of(
                "offsets.topic.num.partitions", "1", "transaction.state.log.num.partitions", "1")));
    }

    @Test
    void shouldRejectZeroPartitionsNamingTheSetting() {
        assertThatThrownBy(() -> KafkaOptions.defaults().withDefaultPartitions(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("defaultPartitions must be at least 1 but was 0");
    }

    @Test
    void shouldRejectAHeapThatIsNotAnXmxValue() {
        assertThatThrownBy(() -> KafkaOptions.defaults().withMaxHeap("512 MB"))
                .hasMessage("maxHeap must look like 512m but was 512 MB");
    }

    @Test
    void shouldKeepEarlierConfigWhenAddingMore() {
        KafkaOptions options = new KafkaOptions(1, "512m", Map.of()).withConfig("a", "1").withConfig("b", "2")
                .withMaxHeap("1g");

        assertThat(options.extraConfig()).containsOnly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(options.maxHeap()).isEqualTo("1g");
    }

    @Test
    void shouldSetTheBrokerKillSettingsBesideEarlierOnes() {
        KafkaOptions options = new KafkaOptions(1, "512m", Map.of()).withConfig("a", "1")
                .withFastTransactionAbort().withSeparateController().withMaxHeap("1g").withDefaultPartitions(4);

        assertThat(options.extraConfig()).containsOnly(Map.entry("a", "1"),
                Map.entry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"));
        assertThat(options.separateController()).isTrue();
    }

    @Test
    void shouldRunTheControllerInTheBrokersProcessByDefault() {
        assertThat(KafkaOptions.defaults().separateController()).isFalse();
        assertThat(new KafkaOptions(1, "512m", Map.of()).separateController()).isFalse();
    }
}
