package dev.arenaflow.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the soak's table and writes it to {@code bench/results/soak-<timestamp>.json} and, as
 * Markdown, {@code bench/results/soak-latest.md}.
 */
final class SoakReport {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final SoakOptions options;
    private final SoakAccount account;
    private final List<FaultLog.Fault> faults;
    private final List<String> notes;
    private final Map<String, Object> machine;

    SoakReport(SoakOptions options, SoakAccount account, List<FaultLog.Fault> faults, List<String> notes,
            Map<String, Object> machine) {
        this.options = options;
        this.account = account;
        this.faults = faults;
        this.notes = notes;
        this.machine = machine;
    }

    /** @return whether the run passed */
    boolean write(Path dir) throws IOException {
        Files.createDirectories(dir);
        boolean passed = account.passed(options.exactlyOnce());
        String markdown = markdown(passed);
        System.out.print(markdown);
        Path json = dir.resolve("soak-" + STAMP.format(Instant.now()) + ".json");
        new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(json.toFile(), json(passed));
        Path md = dir.resolve("soak-latest.md");
        Files.writeString(md, markdown, StandardCharsets.UTF_8);
        System.out.println("written to " + json + " and " + md);
        return passed;
    }

    String markdown(boolean passed) {
        StringBuilder m = new StringBuilder(String.format(Locale.ROOT,
                "Soak %s: %d min, %s, %d records/s, seed %d, %s cores, %s%n%n", machine.get("date"), options.minutes(),
                options.guarantee(), options.rate(), options.seed(), machine.get("cores"), machine.get("jvm")));
        m.append(account.markdown()).append('\n');
        m.append("Faults (seconds since the start):\n\n");
        faults.forEach(f -> m.append(String.format(Locale.ROOT, "- %s: %.0f s to %.0f s%n", f.window(), f.startS(),
                f.endS())));
        m.append('\n');
        m.append("- outcomes at positions of no acknowledged input: ").append(account.strangers()).append('\n');
        notes.forEach(n -> m.append("- ").append(n).append('\n'));
        m.append("\nResult: ").append(passed ? "PASSED" : "FAILED").append(" (lost ").append(account.total().lost())
                .append(", doubled ").append(account.total().doubled()).append(options.exactlyOnce()
                        ? "; under exactly_once_v2 both must be 0)\n" : "; under at_least_once doubles are allowed)\n");
        return m.toString();
    }

    private Map<String, Object> json(boolean passed) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", machine);
        root.put("options", options);
        root.put("rows", account.rows());
        root.put("strangers", account.strangers());
        root.put("faults", faults);
        root.put("notes", notes);
        root.put("passed", passed);
        return root;
    }
}
