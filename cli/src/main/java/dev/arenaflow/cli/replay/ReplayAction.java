package dev.arenaflow.cli.replay;

/** What replay did with a selected record, as its output line names it. */
public enum ReplayAction {
    REPLAYED("replayed"),
    WOULD_REPLAY("would-replay"),
    KEPT("kept"),
    SKIPPED("skipped"),
    /** The write was attempted and failed; the replay stops. */
    FAILED("failed");

    private final String label;

    ReplayAction(String label) {
        this.label = label;
    }

    /** @return its name in output lines and the summary */
    public String label() {
        return label;
    }
}
