package dev.arenaflow.cli;

import dev.arenaflow.record.RawRecordFormat;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The demo's consumer of dead letters, which the API layer does not serve: reads the dead-letter
 * topics as a user's consumer would (read_committed) and prints each record as one JSON line.
 * Snapshots reach the demo through the API ({@link DemoSubscribers}).
 *
 * <p>Threading notes: {@link #run} runs on its own thread; {@link #stop} and the counters are
 * safe to use from any thread.
 */
final class DemoWatcher implements Runnable, AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final RecordLines lines;
    private final PrintStream out;
    private final boolean print;
    private final AtomicLong deadLetterCount = new AtomicLong();
    private volatile boolean stopped;

    /**
     * @param topics the dead-letter topics
     * @param snapshots makes the registry-backed deserializer, only should a snapshot ever be read
     */
    DemoWatcher(String bootstrapServers, List<String> topics, String deadLetterPrefix,
                Supplier<Deserializer<Object>> snapshots, PrintStream out, boolean print) {
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "arenaflow-demo-watcher",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.lines = new RecordLines(deadLetterPrefix, RawRecordFormat.DEFAULT_MAX_PAYLOAD_LENGTH, snapshots);
        this.out = out;
        this.print = print;
        consumer.subscribe(topics);
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                consumer.poll(Duration.ofMillis(200)).forEach(this::show);
            }
        } catch (WakeupException e) {
            // stop() asked for it.
        }
    }

    private void show(ConsumerRecord<byte[], byte[]> record) {
        deadLetterCount.incrementAndGet();
        if (print) {
            RecordLines.print(out, lines.line(record));
        }
    }

    long deadLetters() {
        return deadLetterCount.get();
    }

    void stop() {
        stopped = true;
        consumer.wakeup();
    }

    /** Closes the consumer; call after the thread running {@link #run} has ended. */
    @Override
    public void close() {
        consumer.close();
        lines.close();
    }
}
