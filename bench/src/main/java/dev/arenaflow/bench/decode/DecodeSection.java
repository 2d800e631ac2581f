package dev.arenaflow.bench.decode;

import dev.arenaflow.bench.BenchEnv;
import dev.arenaflow.bench.BenchMode;
import dev.arenaflow.bench.BenchResult;
import dev.arenaflow.bench.BenchSection;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code decode}: {@link DecodeBenchmark} under JMH with the GC profiler, the view against the
 * copying decoder, and the CRC32C alone that both must compute; and {@link LendingBenchmark}, a
 * plugin processor's loan at each loan guard level. The issue's targets: the view allocates 0 B/op
 * and is at least 5x faster, and the default ({@code thread}) loan allocates 0 B/op.
 */
public final class DecodeSection implements BenchSection {

    private static final String ALLOC_NORM = "gc.alloc.rate.norm";

    @Override
    public String name() {
        return "decode";
    }

    @Override
    public List<BenchResult> run(BenchMode mode, BenchEnv env) throws Exception {
        // JMH's scores are wall-clock: on a shared 2-core machine other processes inflate them,
        // which is why the CPU time per operation is reported beside them.
        BenchEnv.progress(String.format(Locale.ROOT, "decode: load average %.1f on %d cores",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors()));
        // JMH writes its progress to stderr, so that stdout keeps only the harness's table.
        return results(new Runner(options(mode),
                OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL)).run());
    }

    private static List<BenchResult> results(Collection<RunResult> runs) {
        RunResult view = find(runs, "view");
        RunResult copying = find(runs, "copying");
        RunResult checksum = find(runs, "checksum");
        RunResult lendThread = findLoan(runs, "thread");
        RunResult lendStrict = findLoan(runs, "strict");
        double viewNs = view.getPrimaryResult().getScore();
        double copyingNs = copying.getPrimaryResult().getScore();
        double viewCpu = secondary(view, ProcessCpuProfiler.NAME);
        double copyingCpu = secondary(copying, ProcessCpuProfiler.NAME);
        double checksumCpu = secondary(checksum, ProcessCpuProfiler.NAME);
        return List.of(
                BenchResult.against("decode.view", viewNs, "ns/op", "decode.copying", copyingNs),
                BenchResult.alone("decode.speedup", copyingNs / viewNs, "x"),
                BenchResult.against("decode.view.cpu", viewCpu, "ns/op", "decode.copying.cpu", copyingCpu),
                BenchResult.alone("decode.speedup.cpu", copyingCpu / viewCpu, "x"),
                // The CRC32C both must compute: its share of the view's time, and the speedup the
                // view would show if everything else it does were free.
                BenchResult.against("decode.checksum.cpu", checksumCpu, "ns/op", "decode.view.cpu", viewCpu),
                BenchResult.alone("decode.speedup.ceiling", copyingCpu / checksumCpu, "x"),
                BenchResult.against("decode.view.alloc", secondary(view, ALLOC_NORM), "B/op", "decode.copying.alloc",
                        secondary(copying, ALLOC_NORM)),
                BenchResult.against("decode.lend.thread", lendThread.getPrimaryResult().getScore(), "ns/op",
                        "decode.lend.strict", lendStrict.getPrimaryResult().getScore()),
                BenchResult.against("decode.lend.thread.alloc", secondary(lendThread, ALLOC_NORM), "B/op",
                        "decode.lend.strict.alloc", secondary(lendStrict, ALLOC_NORM)));
    }

    /**
     * The fork inherits this JVM's class path as {@code java.class.path} reports it, where the
     * launcher has already expanded {@code lib/*} into jar names, so the fork sees the same jars.
     */
    static Options options(BenchMode mode) {
        return new OptionsBuilder()
                .include(Pattern.quote(DecodeBenchmark.class.getName()) + "\\.")
                .include(Pattern.quote(LendingBenchmark.class.getName()) + "\\.")
                .forks(mode.pick(1, 2))
                .warmupIterations(mode.pick(4, 5))
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(mode.pick(1, 2)))
                .threads(1)
                .addProfiler(GCProfiler.class)
                .addProfiler(ProcessCpuProfiler.class)
                .jvmArgsAppend("-Xms512m", "-Xmx512m")
                .shouldFailOnError(true)
                .build();
    }

    private static RunResult find(Collection<RunResult> runs, String method) {
        return runs.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("JMH returned no result for " + method));
    }

    private static RunResult findLoan(Collection<RunResult> runs, String guard) {
        return runs.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith(".lend") && guard.equals(r.getParams().getParam("guard")))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("JMH returned no loan result at guard " + guard));
    }

    /** JMH has named its profilers' results with and without a leading "·"; match the name's end. */
    @SuppressWarnings("rawtypes") // JMH's API hands out raw Result
    private static double secondary(RunResult run, String name) {
        for (Map.Entry<String, Result> e : run.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith(name)) {
                return e.getValue().getScore();
            }
        }
        throw new IllegalStateException("no " + name + " in " + run.getSecondaryResults().keySet());
    }
}
