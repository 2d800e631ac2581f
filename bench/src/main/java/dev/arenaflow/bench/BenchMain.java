package dev.arenaflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.arenaflow.bench.api.ApiSection;
import dev.arenaflow.bench.async.AsyncSection;
import dev.arenaflow.bench.decode.DecodeSection;
import dev.arenaflow.bench.memory.MemorySection;
import dev.arenaflow.bench.recovery.RecoverySection;
import dev.arenaflow.bench.stuck.StuckSection;
import dev.arenaflow.bench.sync.ChangelogLedger;
import dev.arenaflow.bench.sync.ChangelogSection;
import dev.arenaflow.bench.sync.SyncSection;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs the benchmark sections, writes {@code bench/results/latest.json} and prints a table.
 *
 * <pre>
 * java -cp ... dev.arenaflow.bench.BenchMain quick|full [--only a,b] [--out FILE]
 * </pre>
 */
public final class BenchMain {

    private BenchMain() {
    }

    /** @return every section, in the order they run */
    static List<BenchSection> sections() {
        ChangelogLedger changelogs = new ChangelogLedger();
        return List.of(new DecodeSection(), new MemorySection(), new SyncSection(changelogs),
                new ChangelogSection(changelogs), new AsyncSection(), new RecoverySection(), new ApiSection(),
                new StuckSection());
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !Set.of("quick", "full").contains(args[0])) {
            System.err.println("usage: bench/run.sh quick|full [--only SECTION,...] [--out FILE]");
            System.err.println("sections: " + sections().stream().map(BenchSection::name).toList());
            System.exit(2);
        }
        BenchMode mode = BenchMode.valueOf(args[0].toUpperCase(Locale.ROOT));
        Set<String> only = Set.of();
        Path out = Path.of("bench", "results", "latest.json");
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--only" -> only = Set.copyOf(Arrays.asList(args[++i].split(",")));
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        List<BenchResult> results = new ArrayList<>();
        Path work = Files.createTempDirectory("arenaflow-bench-");
        long started = System.nanoTime();
        try (BenchEnv env = new BenchEnv(work)) {
            for (BenchSection section : sections()) {
                if (!only.isEmpty() && !only.contains(section.name())) {
                    continue;
                }
                BenchEnv.progress("section " + section.name() + " (" + mode.name().toLowerCase(Locale.ROOT) + ")");
                long t0 = System.nanoTime();
                List<BenchResult> found = section.run(mode, env);
                results.addAll(found);
                BenchEnv.progress("section " + section.name() + " done in " + (System.nanoTime() - t0) / 1_000_000_000
                        + " s: " + found.size() + " results");
            }
        } finally {
            dev.arenaflow.local.MoreFiles.deleteRecursively(work);
        }
        write(out, mode, results, (System.nanoTime() - started) / 1_000_000_000);
        System.out.print(table(results));
        System.out.println("written to " + out);
        // A client or plugin thread left behind by a section must not keep the harness alive.
        System.exit(0);
    }

    private static void write(Path out, BenchMode mode, List<BenchResult> results, long seconds) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", machine());
        root.put("mode", mode.name().toLowerCase(Locale.ROOT));
        root.put("seconds", seconds);
        root.put("results", results);
        Path folder = out.toAbsolutePath().getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), root);
    }

    public static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memoryBytes", ((com.sun.management.OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize());
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("date", Instant.now().toString());
        return machine;
    }

    /** @return the results as a Markdown table, as the README shows them */
    static String table(List<BenchResult> results) {
        StringBuilder t = new StringBuilder("| measurement | value | baseline | baseline value | ratio |\n"
                + "|---|---|---|---|---|\n");
        for (BenchResult r : results) {
            t.append("| ").append(r.name()).append(" | ").append(number(r.value())).append(' ').append(r.unit())
                    .append(" | ").append(r.baseline() == null ? "" : r.baseline())
                    .append(" | ").append(r.baselineValue() == null ? "" : number(r.baselineValue()) + " " + r.unit())
                    .append(" | ").append(r.ratio() == null ? "" : String.format(Locale.ROOT, "%.2f", r.ratio()))
                    .append(" |\n");
        }
        results.stream().filter(r -> r.note() != null)
                .forEach(r -> t.append("\n- ").append(r.name()).append(": ").append(r.note()));
        return t.append(results.stream().anyMatch(r -> r.note() != null) ? "\n" : "").toString();
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
