package dev.arenaflow.cli.io;

/**
 * The first {@code count} records of a {@link SampleGenerator}, as a {@link RecordSource} that never waits.
 *
 * <p>Threading notes: confined to the producing thread, like the generator.
 */
public final class GeneratedSource implements RecordSource {

    private final SampleGenerator generator;
    private final long count;

    /**
     * @param generator the generator, used by this source alone from now on
     * @param count how many records to hand out, at least 0
     */
    public GeneratedSource(SampleGenerator generator, long count) {
        this.generator = generator;
        this.count = count;
    }

    @Override
    public SourceItem next(long timeoutMillis) {
        return generator.generated() < count ? SourceItem.of(generator.next()) : SourceItem.END;
    }

    @Override
    public void close() {
    }

    /** @return the generator, for its counts */
    public SampleGenerator generator() {
        return generator;
    }
}
