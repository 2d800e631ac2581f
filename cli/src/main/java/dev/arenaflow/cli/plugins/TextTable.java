package dev.arenaflow.cli.plugins;

import java.util.ArrayList;
import java.util.List;

/** Columns of text aligned with spaces, for a terminal; the last column is not padded. */
final class TextTable {

    private static final String GAP = "  ";

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = List.of(header);
    }

    /** @param cells one per column; null shows as "-" */
    TextTable row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + header.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (String cell : cells) {
            row.add(cell == null || cell.isEmpty() ? "-" : cell);
        }
        rows.add(row);
        return this;
    }

    /** @return the header and the rows, each line ending with a newline */
    String render() {
        int[] widths = new int[header.size()];
        for (List<String> row : allRows()) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : allRows()) {
            for (int c = 0; c < row.size(); c++) {
                boolean last = c == row.size() - 1;
                text.append(last ? row.get(c) : pad(row.get(c), widths[c]) + GAP);
            }
            text.append('\n');
        }
        return text.toString();
    }

    private List<List<String>> allRows() {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }

    private static String pad(String cell, int width) {
        return cell + " ".repeat(width - cell.length());
    }
}
