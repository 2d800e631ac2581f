package dev.arenaflow.bench.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accounts for every input of a soak: per fault window (the fault going on when the input was
 * produced, or {@code none}) and overall, how many inputs were expected, how many snapshots and
 * dead letters they got, how many got neither (lost) and how many got more than one outcome
 * (doubled). Outcomes at positions no acknowledged input has are counted apart, as strangers.
 */
public final class SoakAccount {

    /** The window of inputs produced while no fault was going on. */
    public static final String NO_FAULT = "none";
    /** The row that sums every window. */
    public static final String TOTAL = "total";

    /** One line of the table. */
    public record Row(String window, long expected, long snapshots, long deadLetters, long lost, long doubled) {
        Row plus(int snapshotCount, int deadLetterCount) {
            int outcomes = snapshotCount + deadLetterCount;
            return new Row(window, expected + 1, snapshots + snapshotCount, deadLetters + deadLetterCount,
                    lost + (outcomes == 0 ? 1 : 0), doubled + (outcomes > 1 ? 1 : 0));
        }

        Row plus(Row other) {
            return new Row(window, expected + other.expected, snapshots + other.snapshots,
                    deadLetters + other.deadLetters, lost + other.lost, doubled + other.doubled);
        }

        static Row empty(String window) {
            return new Row(window, 0, 0, 0, 0, 0);
        }
    }

    private final List<Row> rows;
    private final long strangers;

    private SoakAccount(List<Row> rows, long strangers) {
        this.rows = rows;
        this.strangers = strangers;
    }

    /**
     * @param windowOf each acknowledged input's fault window
     * @param windows the fault windows in the order they happened, without {@link #NO_FAULT}; each gets a row
     * @param snapshots snapshots read, per input position
     * @param deadLetters dead letters read, per input position
     * @return the account: a row for {@link #NO_FAULT}, one per window, and {@link #TOTAL} last
     */
    public static SoakAccount of(Map<InputPosition, String> windowOf, List<String> windows,
            Map<InputPosition, Integer> snapshots, Map<InputPosition, Integer> deadLetters) {
        Map<String, Row> byWindow = new LinkedHashMap<>();
        byWindow.put(NO_FAULT, Row.empty(NO_FAULT));
        windows.forEach(w -> byWindow.put(w, Row.empty(w)));
        windowOf.forEach((position, window) -> byWindow.merge(window,
                Row.empty(window).plus(snapshots.getOrDefault(position, 0), deadLetters.getOrDefault(position, 0)),
                Row::plus));
        Row total = byWindow.values().stream().reduce(Row.empty(TOTAL), Row::plus);
        List<Row> rows = new ArrayList<>(byWindow.values());
        rows.add(total);
        return new SoakAccount(List.copyOf(rows), strangers(windowOf, snapshots) + strangers(windowOf, deadLetters));
    }

    private static long strangers(Map<InputPosition, String> windowOf, Map<InputPosition, Integer> outcomes) {
        return outcomes.entrySet().stream().filter(e -> !windowOf.containsKey(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** @return a row per window, {@link #TOTAL} last */
    public List<Row> rows() {
        return rows;
    }

    /** @return the row that sums every window */
    public Row total() {
        return rows.get(rows.size() - 1);
    }

    /** @return snapshots and dead letters whose input position no acknowledged input has */
    public long strangers() {
        return strangers;
    }

    /**
     * @param exactlyOnce whether the run was under exactly_once_v2, where a doubled input fails it
     * @return whether nothing was lost and, under exactly-once, nothing doubled
     */
    public boolean passed(boolean exactlyOnce) {
        return total().lost() == 0 && (!exactlyOnce || total().doubled() == 0);
    }

    /** @return the rows as a Markdown table */
    public String markdown() {
        StringBuilder t = new StringBuilder("| window | expected | snapshots | dead letters | lost | doubled |\n"
                + "|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            String name = r.window().equals(TOTAL) ? "**total**" : r.window();
            t.append("| ").append(name).append(" | ").append(r.expected()).append(" | ").append(r.snapshots())
                    .append(" | ").append(r.deadLetters()).append(" | ").append(r.lost()).append(" | ")
                    .append(r.doubled()).append(" |\n");
        }
        return t.toString();
    }
}
