package dev.arenaflow.cli.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverrideArgumentsTest {

    @Test
    void shouldSplitAtTheFirstEqualsSignKeepingTheOrder() {
        assertThat(OverrideArguments.parse(List.of("b=x=y", "a=", "c=1")).values())
                .containsExactly(Map.entry("b", "x=y"), Map.entry("a", ""),
                        Map.entry("c", "1"));
    }

    @Test
    void shouldRefuseAnArgumentWithoutAKey() {
        assertThatThrownBy(() -> OverrideArguments.parse(List.of("limit"))).hasMessage("expected KEY=VALUE but got 'limit'");
        assertThatThrownBy(() -> OverrideArguments.parse(List.of("=5"))).hasMessage("expected KEY=VALUE but got '=5'");
    }

    @Test
    void shouldRefuseAKeyGivenTwice() {
        assertThatThrownBy(() -> OverrideArguments.parse(List.of("a=1", "a=1"))).hasMessage("setting a is given twice");
    }
}
