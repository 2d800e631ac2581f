package dev.arenaflow.bench.sync;

import dev.arenaflow.bench.BenchEnv;
import dev.arenaflow.bench.BenchMode;
import dev.arenaflow.bench.BenchResult;
import dev.arenaflow.bench.BenchSection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * End to end on the local broker: input records per second of arenaflow with the session plugin,
 * and with three sync plugins, against a Kafka Streams byte passthrough over the same records,
 * under the same guarantee, on 1 and 4 partitions. The passthrough and arenaflow runs of one
 * repetition follow each other, so a noisy neighbour slows both alike. Each rate is also given
 * over the second half of the output ({@code .steady}), where start-up no longer counts. Each
 * figure is the median of three repetitions.
 */
public final class SyncSection implements BenchSection {

    private static final int[] PARTITIONS = {1, 4};
    private static final String UNIT = "records/s";

    private final ChangelogLedger ledger;

    /** @param ledger receives the changelog sizes of the session runs, for the changelog section */
    public SyncSection(ChangelogLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return "sync";
    }

    @Override
    public List<BenchResult> run(BenchMode mode, BenchEnv env) throws Exception {
        long records = mode.pick(100_000L, 1_000_000L);
        // Three even in quick mode: one run on this 2-core machine was seen at a quarter of its neighbours.
        int repetitions = 3;
        Runs runs = new Runs(env);
        List<BenchResult> results = new ArrayList<>();
        for (int partitions : PARTITIONS) {
            BenchEnv.progress("sync: producing " + records + " input records to " + partitions + " partition(s)");
            InputTopic input = InputTopic.produce(runs.stack().kafka(), "bench-input-p" + partitions, partitions, records);
            if (partitions == PARTITIONS[0]) {
                warmUp(runs, input);
            }
            for (Guarantee guarantee : Guarantee.values()) {
                results.addAll(measure(runs, input, guarantee, repetitions));
            }
        }
        return results;
    }

    /** One untimed run of each kind first, so the first timed run does not pay for the JIT alone. */
    private static void warmUp(Runs runs, InputTopic input) throws Exception {
        BenchEnv.progress("sync: warming up (untimed)");
        try (Pipeline p = runs.passthrough(input, Guarantee.ALOS)) {
            runs.time(p, input, "warm-up passthrough");
        }
        try (ArenaflowPipeline p = runs.arenaflow(input, Guarantee.ALOS, Runs.THREE)) {
            runs.time(p, input, "warm-up three");
        }
    }

    private List<BenchResult> measure(Runs runs, InputTopic input, Guarantee guarantee, int repetitions)
            throws Exception {
        Runs.Rates[] passthrough = new Runs.Rates[repetitions];
        Runs.Rates[] session = new Runs.Rates[repetitions];
        Runs.Rates[] three = new Runs.Rates[repetitions];
        String label = guarantee.shortName + ".p" + input.partitions();
        for (int i = 0; i < repetitions; i++) {
            try (Pipeline p = runs.passthrough(input, guarantee)) {
                passthrough[i] = runs.time(p, input, "passthrough." + label);
            }
            session[i] = arenaflow(runs, input, guarantee, Runs.SESSION, i == 0 ? label : null);
            three[i] = arenaflow(runs, input, guarantee, Runs.THREE, null);
        }
        List<BenchResult> results = new ArrayList<>();
        results.addAll(compare(label, "", passthrough, session, three, Runs.Rates::total));
        results.addAll(compare(label, ".steady", passthrough, session, three, Runs.Rates::steady));
        return results;
    }

    private static List<BenchResult> compare(String label, String suffix, Runs.Rates[] passthrough,
                                             Runs.Rates[] session, Runs.Rates[] three,
                                             ToDoubleFunction<Runs.Rates> rate) {
        String baseline = "e2e.passthrough." + label + suffix;
        double base = median(passthrough, rate);
        return List.of(BenchResult.alone(baseline, base, UNIT),
                BenchResult.against("e2e.sync.session." + label + suffix, median(session, rate), UNIT, baseline, base),
                BenchResult.against("e2e.sync.three." + label + suffix, median(three, rate), UNIT, baseline, base));
    }

    /** @param changelogLabel if not null, the session arena and state changelogs are measured under this label */
    private Runs.Rates arenaflow(Runs runs, InputTopic input, Guarantee guarantee, List<String> plugins,
                                 String changelogLabel) throws Exception {
        ArenaflowPipeline pipeline = runs.arenaflow(input, guarantee, plugins);
        Runs.Rates rates;
        try (pipeline) {
            rates = runs.time(pipeline, input, "sync." + (plugins.size() == 1 ? "session" : "three") + "."
                    + guarantee.shortName + ".p" + input.partitions());
        }
        runs.checkNoFailures(pipeline);
        if (changelogLabel != null) {
            ledger.add(runs.changelogs(pipeline, input, changelogLabel));
        }
        return rates;
    }

    static double median(Runs.Rates[] runs, ToDoubleFunction<Runs.Rates> rate) {
        double[] sorted = Arrays.stream(runs).mapToDouble(rate).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
