package dev.arenaflow.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.bench.soak.SoakAccount.Row;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakAccountTest {

    private static final String KILL = "#1 kill instance-a";
    private static final String BROKER = "#2 kill broker";

    /** Inputs 0@0..0@3 before any fault, 0@4..0@6 during the instance kill, 1@0..1@1 during the broker kill. */
    private static Map<InputPosition, String> ledger() {
        Map<InputPosition, String> windowOf = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            windowOf.put(new InputPosition(0, i), SoakAccount.NO_FAULT);
        }
        for (int i = 4; i < 7; i++) {
            windowOf.put(new InputPosition(0, i), KILL);
        }
        windowOf.put(new InputPosition(1, 0), BROKER);
        windowOf.put(new InputPosition(1, 1), BROKER);
        return windowOf;
    }

    @Test
    void shouldCountLostAndDoubledInputsPerWindowAndOverall() {
        Map<InputPosition, Integer> snapshots = Map.of(
                new InputPosition(0, 0), 1, new InputPosition(0, 1), 1, new InputPosition(0, 2), 2,
                new InputPosition(0, 4), 1, new InputPosition(0, 5), 3,
                new InputPosition(1, 0), 1);
        Map<InputPosition, Integer> deadLetters = Map.of(new InputPosition(0, 3), 1, new InputPosition(1, 1), 1,
                new InputPosition(0, 4), 1);

        SoakAccount account = SoakAccount.of(ledger(), List.of(KILL, BROKER, "#3 cut registry"), snapshots, deadLetters);

        assertThat(account.rows()).containsExactly(
                new Row(SoakAccount.NO_FAULT, 4, 4, 1, 0, 1),
                new Row(KILL, 3, 4, 1, 1, 2),
                new Row(BROKER, 2, 1, 1, 0, 0),
                new Row("#3 cut registry", 0, 0, 0, 0, 0),
                new Row(SoakAccount.TOTAL, 9, 9, 3, 1, 3));
        assertThat(account.strangers()).isZero();
        assertThat(account.passed(false)).isFalse();
    }

    @Test
    void shouldPassAtLeastOnceWithDoublesButNotExactlyOnce() {
        Map<InputPosition, Integer> snapshots = new LinkedHashMap<>();
        ledger().keySet().forEach(p -> snapshots.put(p, 1));
        snapshots.put(new InputPosition(0, 5), 2);

        SoakAccount account = SoakAccount.of(ledger(), List.of(KILL, BROKER), snapshots, Map.of());

        assertThat(account.total()).isEqualTo(new Row(SoakAccount.TOTAL, 9, 10, 0, 0, 1));
        assertThat(account.passed(false)).isTrue();
        assertThat(account.passed(true)).isFalse();
    }

    @Test
    void shouldCountOutcomesOfUnknownInputsAsStrangers() {
        Map<InputPosition, Integer> snapshots = new LinkedHashMap<>();
        ledger().keySet().forEach(p -> snapshots.put(p, 1));
        snapshots.put(new InputPosition(2, 0), 1);

        SoakAccount account = SoakAccount.of(ledger(), List.of(), snapshots, Map.of(new InputPosition(0, 99), 2));

        assertThat(account.strangers()).isEqualTo(3);
        assertThat(account.passed(true)).isTrue();
        assertThat(account.markdown()).contains("| **total** | 9 | 9 | 0 | 0 | 0 |");
    }
}
