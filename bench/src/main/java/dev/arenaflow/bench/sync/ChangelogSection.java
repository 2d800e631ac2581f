package dev.arenaflow.bench.sync;

import dev.arenaflow.bench.BenchEnv;
import dev.arenaflow.bench.BenchMode;
import dev.arenaflow.bench.BenchResult;
import dev.arenaflow.bench.BenchSection;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes written to the session plugin's arena changelog per input record, against the bytes its
 * own state store's changelog takes per input record (each source's latest aggregate, once per
 * commit interval, through the store's cache). A sync plugin acknowledges each message within the
 * call that took it, so its arena should write nothing.
 * Reports the sync section's session runs when that section ran; otherwise runs the session
 * plugin once per guarantee on one partition itself.
 */
public final class ChangelogSection implements BenchSection {

    private static final String UNIT = "B/record";

    private final ChangelogLedger ledger;

    /** @param ledger the changelog sizes the sync section measured, if it ran */
    public ChangelogSection(ChangelogLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return "changelog";
    }

    @Override
    public List<BenchResult> run(BenchMode mode, BenchEnv env) throws Exception {
        List<ChangelogSample> samples = ledger.samples();
        if (samples.isEmpty()) {
            samples = measure(new Runs(env), mode.pick(100_000L, 1_000_000L));
        }
        List<BenchResult> results = new ArrayList<>();
        for (ChangelogSample s : samples) {
            BenchEnv.progress("changelog " + s.label() + ": arena " + s.arena() + ", state " + s.state()
                    + " for " + s.inputRecords() + " input records");
            results.add(perRecord("changelog.arena.session." + s.label(), s.arena().keyValueBytes(),
                    "changelog.state.session." + s.label(), s.state().keyValueBytes(), s.inputRecords()));
            results.add(perRecord("changelog.arena.session." + s.label() + ".log", s.arena().logBytes(),
                    "changelog.state.session." + s.label() + ".log", s.state().logBytes(), s.inputRecords()));
        }
        return results;
    }

    private static BenchResult perRecord(String name, long bytes, String baseline, long baselineBytes, long records) {
        return BenchResult.against(name, (double) bytes / records, UNIT, baseline, (double) baselineBytes / records);
    }

    private static List<ChangelogSample> measure(Runs runs, long records) throws Exception {
        BenchEnv.progress("changelog: producing " + records + " input records to 1 partition");
        InputTopic input = InputTopic.produce(runs.stack().kafka(), "bench-changelog-input", 1, records);
        List<ChangelogSample> samples = new ArrayList<>();
        for (Guarantee guarantee : Guarantee.values()) {
            ArenaflowPipeline pipeline = runs.arenaflow(input, guarantee, Runs.SESSION);
            try (pipeline) {
                runs.time(pipeline, input, "changelog: session." + guarantee.shortName + ".p1");
            }
            runs.checkNoFailures(pipeline);
            samples.add(runs.changelogs(pipeline, input, guarantee.shortName + ".p1"));
        }
        return samples;
    }
}
