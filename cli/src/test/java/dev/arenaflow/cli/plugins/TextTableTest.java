package dev.arenaflow.cli.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void shouldAlignColumnsToTheWidestCellAndLeaveTheLastUnpadded() {
        String text = new TextTable("A", "LONG HEADER", "LAST").row("wide cell", "x", "end").row("b", null, "").render();

        assertThat(text).isEqualTo("""
                A          LONG HEADER  LAST
                wide cell  x            end
                b          -            -
                """);
    }

    @Test
    void shouldRefuseARowOfTheWrongWidth() {
        assertThatThrownBy(() -> new TextTable("A", "B").row("1")).isInstanceOf(IllegalArgumentException.class);
    }
}
