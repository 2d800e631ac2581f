package dev.arenaflow.bench.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClassHistogramTest {

    private static final String BEFORE = """
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:         17141        1179640  [B (java.base@17.0.15)
               2:          3527         422856  java.lang.Class (java.base@17.0.15)
               3:            10            240  dev.Gone
            Total         20678        1602736
            """;
    private static final String AFTER = """
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:         27141        1579640  [B (java.base@17.0.15)
               2:          3527         422856  java.lang.Class (java.base@17.0.15)
               3:          1000          56000  dev.arenaflow.topology.arena.ArenaEntry
               4:             1             16  dev.Twice
               5:             2             32  dev.Twice
            Total         31671        2058544
            """;

    @Test
    void shouldReadTheTotalLiveBytes() {
        assertThat(ClassHistogram.parse(AFTER).totalBytes()).isEqualTo(2_058_544);
    }

    @Test
    void shouldListClassesThatGrewLargestFirstAddingUpClassesOfTheSameName() {
        assertThat(ClassHistogram.parse(AFTER).grownSince(ClassHistogram.parse(BEFORE)))
                .containsExactly(
                        org.assertj.core.api.Assertions.entry("[B", 400_000L),
                        org.assertj.core.api.Assertions.entry("dev.arenaflow.topology.arena.ArenaEntry", 56_000L),
                        org.assertj.core.api.Assertions.entry("dev.Twice", 48L));
    }

    @Test
    void shouldRejectTextWithoutATotal() {
        assertThatThrownBy(() -> ClassHistogram.parse("not a histogram")).isInstanceOf(IllegalArgumentException.class);
    }
}
