package dev.arenaflow.bench.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The api section fails on a subscriber that missed, added, duplicated or reordered a snapshot. */
class ArrivalsTest {

    private static Map<Long, Arrivals.Arrival> plain() {
        Arrivals plain = new Arrivals("plain");
        plain.add(0, 10, 1, 100);
        plain.add(1, 5, 2, 110);
        plain.add(0, 11, 3, 120);
        return plain.byPosition();
    }

    @Test
    void theSameSnapshotsOnceEachInPartitionOrderPass() {
        Arrivals s = new Arrivals("s");
        s.add(1, 5, 2, 111);
        s.add(0, 10, 1, 101);
        s.add(0, 11, 3, 121);
        assertThatCode(() -> s.assertExactly(plain())).doesNotThrowAnyException();
    }

    @Test
    void aMissingSnapshotFails() {
        Arrivals s = new Arrivals("s");
        s.add(0, 10, 1, 101);
        s.add(0, 11, 3, 121);
        assertThatThrownBy(() -> s.assertExactly(plain())).hasMessageContaining("1 missing");
    }

    @Test
    void aDuplicateFails() {
        Arrivals s = new Arrivals("s");
        s.add(0, 10, 1, 101);
        s.add(1, 5, 2, 111);
        s.add(1, 5, 2, 112);
        s.add(0, 11, 3, 121);
        assertThatThrownBy(() -> s.assertExactly(plain())).hasMessageContaining("1 duplicated");
    }

    @Test
    void aSnapshotOutOfPartitionOrderFails() {
        Arrivals s = new Arrivals("s");
        s.add(0, 11, 3, 121);
        s.add(0, 10, 1, 122);
        s.add(1, 5, 2, 111);
        assertThatThrownBy(() -> s.assertExactly(plain())).hasMessageContaining("1 out of partition order");
    }

    @Test
    void aSnapshotThePlainConsumerNeverSawFails() {
        Arrivals s = new Arrivals("s");
        s.add(0, 10, 1, 101);
        s.add(1, 5, 2, 111);
        s.add(0, 11, 3, 121);
        s.add(2, 0, 4, 130);
        assertThatThrownBy(() -> s.assertExactly(plain())).hasMessageContaining("1 not on the topic");
    }
}
