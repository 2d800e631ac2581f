package dev.arenaflow.bench;

import java.util.List;

/** One part of the benchmark: it measures something and its baseline, in the same run. */
public interface BenchSection {

    /** @return a short name, for progress lines and {@code --only} */
    String name();

    /**
     * @param mode how much to measure
     * @param env the shared environment: a work folder, and the local broker and registry on demand
     * @return what was measured
     */
    List<BenchResult> run(BenchMode mode, BenchEnv env) throws Exception;
}
