package dev.arenaflow.bench.decode;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Adds {@value #NAME}: the CPU time the benchmark's JVM spent per operation. JMH's scores are
 * wall-clock, so on a shared 2-core machine they grow with everyone else's load; CPU time does
 * not count the time the benchmark thread waited for a core, which keeps the view against the
 * copying decoder comparable from run to run. It counts every thread of the fork, so the GC work
 * that the copying decoder's garbage causes is in its figure, as it should be.
 */
public final class ProcessCpuProfiler implements InternalProfiler {

    /** The secondary result's name. */
    public static final String NAME = "cpu.time.norm";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuBefore;

    @Override
    public String getDescription() {
        return "CPU time of the whole JVM per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuBefore = os.getProcessCpuTime();
    }

    @Override
    @SuppressWarnings("rawtypes") // the signature of JMH's InternalProfiler, raw Result included
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        long ops = result.getMetadata().getAllOps();
        double perOp = ops == 0 ? Double.NaN : (double) (os.getProcessCpuTime() - cpuBefore) / ops;
        return List.of(new ScalarResult(NAME, perOp, "ns/op", AggregationPolicy.AVG));
    }
}
