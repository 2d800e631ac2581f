package dev.arenaflow.bench.sync;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands the changelog sizes of the {@code sync} section's runs to the {@code changelog} section,
 * so that one need not process the input again when both run.
 *
 * <p>Threading notes: sections run one after another on the main thread.
 */
public final class ChangelogLedger {

    private final List<ChangelogSample> samples = new ArrayList<>();

    void add(ChangelogSample sample) {
        samples.add(sample);
    }

    /** @return the samples so far, in the order they were taken */
    List<ChangelogSample> samples() {
        return List.copyOf(samples);
    }
}
