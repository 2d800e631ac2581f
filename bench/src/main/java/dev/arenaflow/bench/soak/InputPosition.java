package dev.arenaflow.bench.soak;

/** Where an input record was written: its partition and offset in the input topic. */
public record InputPosition(int partition, long offset) {
    @Override
    public String toString() {
        return partition + "@" + offset;
    }
}
