package dev.arenaflow.bench.async;

import dev.arenaflow.local.LocalStack;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link ParallelConsumerMain} in a child JVM on this JVM's class path with kafka-clients
 * swapped for the version Parallel Consumer 0.5.3.3 is built against: with the project's
 * kafka-clients 4.4.0 its control loop fails at once, because it uses
 * {@code org.apache.kafka.common.utils.CloseableIterator}, which Kafka 4.0 removed. The build
 * copies that kafka-clients to {@code bench/target/parallel-consumer-lib}.
 */
public final class ParallelConsumerRun {

    private static final Duration STARTED = Duration.ofSeconds(120);

    private ParallelConsumerRun() {
    }

    /**
     * @param label names the consumer group and the output topic
     * @param maxConcurrency Parallel Consumer's bound on records in processing
     * @param latency the simulated I/O per record
     * @param warmUp the child first handles the records of this topic, unmeasured
     * @return records per second, from just before {@code subscribe} until all outputs were seen
     * @throws IllegalStateException if Parallel Consumer failed or did not finish, with its log's tail
     */
    public static double measure(LocalStack stack, Path dir, String label, String input, int partitions, long records,
                                 int maxConcurrency, Duration latency, WarmUp warmUp, Duration timeout)
            throws Exception {
        String output = label + ".out";
        String warmUpOutput = label + ".warm-up.out";
        stack.kafka().createTopics(Map.of(output, partitions, warmUpOutput, 1));
        String bootstrap = stack.kafka().bootstrapServers();
        try (OutputCounter out = new OutputCounter(bootstrap, output);
             ChildRun child = ChildRun.start(label, dir, classPath(), ParallelConsumerMain.class, List.of(bootstrap,
                     input, output, "bench-" + label, Integer.toString(maxConcurrency),
                     Long.toString(latency.toMillis()), warmUp.topic(), warmUpOutput,
                     Integer.toString(warmUp.records())))) {
            long startedMs = child.await("STARTED", 0, STARTED);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.poll() < records) {
                child.assertAlive();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("saw " + out.count() + " of " + records + " outputs within "
                            + timeout + "\n" + child.tail());
                }
            }
            return records * 1000.0 / (System.currentTimeMillis() - startedMs);
        }
    }

    /** @return the kafka-clients jar Parallel Consumer runs with */
    static Path kafkaClients() throws Exception {
        Path lib = Path.of(System.getProperty("arenaflow.home", "."), "bench", "target", "parallel-consumer-lib");
        try (var jars = Files.list(lib)) {
            return jars.filter(p -> p.getFileName().toString().startsWith("kafka-clients-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no kafka-clients jar in " + lib));
        }
    }

    private static String classPath() throws Exception {
        List<String> entries = new ArrayList<>(List.of(kafkaClients().toString()));
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !Path.of(e).getFileName().toString().startsWith("kafka-clients-"))
                .forEach(entries::add);
        return String.join(File.pathSeparator, entries);
    }
}
