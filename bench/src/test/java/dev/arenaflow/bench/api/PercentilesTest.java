package dev.arenaflow.bench.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankInMilliseconds() {
        Percentiles p = new Percentiles(LongStream.rangeClosed(1, 100).map(i -> i * 1_000_000).toArray());
        assertThat(p.ms(50)).isEqualTo(50.0);
        assertThat(p.ms(99)).isEqualTo(99.0);
        assertThat(p.ms(100)).isEqualTo(100.0);
    }

    @Test
    void oneValueIsEveryPercentile() {
        Percentiles p = new Percentiles(new long[] {2_500_000});
        assertThat(p.ms(50)).isEqualTo(2.5);
        assertThat(p.ms(99)).isEqualTo(2.5);
    }
}
