package dev.arenaflow.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One measured claim and the baseline it is measured against in the same run.
 *
 * @param name what was measured, e.g. {@code e2e.sync.session.eos.p1}
 * @param value the measurement
 * @param unit its unit, e.g. {@code records/s}, {@code ns/op}, {@code B/op}
 * @param baseline what it is compared with, or null
 * @param baselineValue the baseline's measurement in the same run, or null
 * @param ratio value / baseline value, or null without a baseline
 * @param note how it was measured, or why a baseline is missing; null if there is nothing to say
 */
public record BenchResult(String name, double value, String unit, String baseline,
                          @JsonProperty("baseline_value") Double baselineValue,
                          Double ratio, @JsonInclude(JsonInclude.Include.NON_NULL) String note) {

    /** A measurement with no baseline. */
    public static BenchResult alone(String name, double value, String unit) {
        return new BenchResult(name, value, unit, null, null, null, null);
    }

    /** A measurement against its baseline; the ratio is value / baseline value. */
    public static BenchResult against(String name, double value, String unit, String baseline, double baselineValue) {
        return new BenchResult(name, value, unit, baseline, baselineValue,
                baselineValue == 0 ? null : value / baselineValue, null);
    }

    /** @return this result with a note */
    public BenchResult withNote(String text) {
        return new BenchResult(name, value, unit, baseline, baselineValue, ratio, text);
    }
}
