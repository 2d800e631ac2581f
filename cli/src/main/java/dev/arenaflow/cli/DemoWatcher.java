package dev.arenaflow.cli;

import dev.arenaflow.cli.io.ConsumedRecordJson;
import dev.arenaflow.record.RawRecordView;
import dev.arenaflow.topology.DeadLetterHeaders;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The demo's consumer: reads the snapshot and dead-letter topics as a user's consumer would
 * (read_committed, through the schema registry) and prints each record as one JSON line.
 *
 * <p>Threading notes: {@link #run} runs on its own thread; {@link #stop} and the counters are
 * safe to use from any thread.
 */
final class DemoWatcher implements Runnable, AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<Object> snapshots;
    private final PrintStream out;
    private final boolean print;
    private final RawRecordView view = new RawRecordView();
    private final AtomicLong snapshotCount = new AtomicLong();
    private final AtomicLong deadLetterCount = new AtomicLong();
    private volatile boolean stopped;

    DemoWatcher(String bootstrapServers, List<String> topics, Deserializer<Object> snapshots, PrintStream out,
                boolean print) {
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "arenaflow-demo-watcher",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.snapshots = snapshots;
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
        boolean dead = record.headers().lastHeader(DeadLetterHeaders.ERROR_CODE) != null;
        (dead ? deadLetterCount : snapshotCount).incrementAndGet();
        if (print) {
            byte[] line = ((dead ? deadLetterLine(record) : snapshotLine(record)) + '\n').getBytes(StandardCharsets.UTF_8);
            out.write(line, 0, line.length);
            out.flush();
        }
    }

    private String deadLetterLine(ConsumerRecord<byte[], byte[]> record) {
        return ConsumedRecordJson.deadLetter(record, VerdictJson.of(view.wrap(record.value())));
    }

    private String snapshotLine(ConsumerRecord<byte[], byte[]> record) {
        try {
            return ConsumedRecordJson.snapshot(record, snapshots.deserialize(record.topic(), record.headers(), record.value()));
        } catch (RuntimeException e) {
            return ConsumedRecordJson.error(record, String.valueOf(e.getMessage()));
        }
    }

    long snapshots() {
        return snapshotCount.get();
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
    }
}
