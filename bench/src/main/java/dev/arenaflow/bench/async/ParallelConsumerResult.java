package dev.arenaflow.bench.async;

import dev.arenaflow.bench.BenchEnv;
import dev.arenaflow.bench.BenchResult;
import dev.arenaflow.local.LocalStack;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Parallel Consumer's measurement, or why there is none: a baseline that fails to load or to run
 * with this Kafka client is reported in the result's note, not as a failed section.
 *
 * @param recordsPerSecond the measurement, or NaN
 * @param problem why it is missing, or null
 */
record ParallelConsumerResult(double recordsPerSecond, String problem) {

    private static final String BASELINE = "Parallel Consumer 0.5.3.3, KEY order, maxConcurrency 1000, pollAndProduce";

    static ParallelConsumerResult measure(LocalStack stack, Path dir, String label, String input, int partitions,
                                          long records, int maxConcurrency, Duration latency, WarmUp warmUp,
                                          Duration timeout) {
        try {
            return new ParallelConsumerResult(ParallelConsumerRun.measure(stack, dir, label, input, partitions, records,
                    maxConcurrency, latency, warmUp, timeout), null);
        } catch (Exception e) {
            BenchEnv.progress("Parallel Consumer failed: " + e);
            return new ParallelConsumerResult(Double.NaN, e.toString().lines().findFirst().orElse(""));
        }
    }

    private static String kafkaClients() {
        try {
            return String.valueOf(ParallelConsumerRun.kafkaClients().getFileName()).replace(".jar", "");
        } catch (Exception e) {
            return "another kafka-clients";
        }
    }

    /**
     * @param more added to the note
     * @return arenaflow's measurement against this one, with a note saying how, or why it is missing
     */
    BenchResult against(String name, double arenaflow, String more) {
        if (problem != null) {
            return BenchResult.alone(name, arenaflow, "records/s")
                    .withNote(BASELINE + " did not run: " + problem + more);
        }
        return BenchResult.against(name, arenaflow, "records/s", BASELINE, recordsPerSecond)
                .withNote("in a child JVM with " + kafkaClients() + " (with kafka-clients 4.4.0 it fails at once: "
                        + "NoClassDefFoundError org.apache.kafka.common.utils.CloseableIterator, removed in Kafka 4.0); "
                        + "a worker thread waits for the same 20 ms timer, its producer writes one record per input; "
                        + "timed from just before subscribe, after a warm-up in the same JVM" + more);
    }
}
