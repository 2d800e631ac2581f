package dev.arenaflow.bench;

/** How much to measure: {@code quick} stays under ten minutes on a 2-core machine; {@code full} takes what it needs. */
public enum BenchMode {
    QUICK,
    FULL;

    /** @return {@code quick} or {@code full} if this is full, picking between two sizes */
    public <T> T pick(T quick, T full) {
        return this == QUICK ? quick : full;
    }
}
