package dev.arenaflow.cli.io;

/**
 * What a {@link RecordSource} hands out next: a record to send, a problem with one input (already
 * phrased for standard error, e.g. {@code line 3: missing field "type"}), or {@link #END}.
 *
 * @param record the record, or null
 * @param problem why an input was skipped, or null
 */
public record SourceItem(OutgoingRecord record, String problem) {

    /** No more input will come. */
    public static final SourceItem END = new SourceItem(null, null);

    /** @return true if this is {@link #END} */
    public boolean isEnd() {
        return this == END;
    }

    static SourceItem of(OutgoingRecord record) {
        return new SourceItem(record, null);
    }

    static SourceItem skipped(String problem) {
        return new SourceItem(null, problem);
    }
}
