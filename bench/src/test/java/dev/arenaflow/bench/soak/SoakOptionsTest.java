package dev.arenaflow.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SoakOptionsTest {

    @Test
    void shouldDefaultToExactlyOnceAt200PerSecond() {
        SoakOptions options = SoakOptions.parse(new String[] {"--minutes", "3", "--seed", "42"});

        assertThat(options).isEqualTo(new SoakOptions(3, "exactly_once_v2", 200, 42));
        assertThat(options.exactlyOnce()).isTrue();
    }

    @Test
    void shouldRequireAtLeastOneMinute() {
        assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--rate", "10"}))
                .hasMessageContaining("--minutes");
        assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--minutes", "0"}))
                .hasMessageContaining("--minutes");
    }

    @Test
    void shouldRejectAnUnknownGuaranteeNamingIt() {
        assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--minutes", "1", "--guarantee", "exactly_once"}))
                .hasMessageContaining("exactly_once");
        assertThat(SoakOptions.parse(new String[] {"--minutes", "1", "--guarantee", "at_least_once"}).exactlyOnce())
                .isFalse();
    }
}
