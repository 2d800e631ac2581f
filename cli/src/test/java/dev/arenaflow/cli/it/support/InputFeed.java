package dev.arenaflow.cli.it.support;

import dev.arenaflow.record.RawRecordWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces Raw Record v1 inputs on a thread of its own, at a steady rate, and records each one in
 * an {@link InputLedger} once the broker has acknowledged it. Record {@code i} comes from source
 * {@code src-(i mod sources)} with sequence {@code i div sources}, keyed by its source, so every
 * input is identified by its (source, sequence) and a source stays in one partition.
 *
 * <p>Threading notes: {@link #start} once; {@link #awaitDone} and {@link #produced} from any thread.
 */
public final class InputFeed {

    private static final int MAX_PAYLOAD = 13;
    private static final long BASE_TIME = 1_764_000_000_000L;
    private static final long TICK_MS = 10;

    private final String bootstrapServers;
    private final String topic;
    private final int sources;
    private final InputLedger ledger;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile int produced;
    private Thread thread;

    public InputFeed(String bootstrapServers, String topic, int sources, InputLedger ledger) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.sources = sources;
        this.ledger = ledger;
    }

    /** Starts producing {@code total} records at about {@code perSecond}. */
    public InputFeed start(int total, int perSecond) {
        thread = new Thread(() -> run(total, perSecond), "input-feed-" + topic);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Blocks until every record is produced and acknowledged; rethrows a send failure. */
    public void awaitDone(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("input feed of " + topic + " not done within " + timeout + ": " + produced + " sent");
        }
        if (failure.get() != null) {
            throw new AssertionError("input feed of " + topic + " failed", failure.get());
        }
    }

    /** @return records handed to the producer so far */
    public int produced() {
        return produced;
    }

    /** @return the payload length of the input with this sequence */
    public static int payloadLength(long sequence) {
        return (int) (sequence % MAX_PAYLOAD);
    }

    private void run(int total, int perSecond) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < total && failure.get() == null; i++) {
                pace(i, perSecond, start);
                send(producer, i);
                produced = i + 1;
            }
            producer.flush();
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private void send(KafkaProducer<byte[], byte[]> producer, int i) {
        String source = "src-" + (i % sources);
        long sequence = i / sources;
        InputLedger.Input input = new InputLedger.Input(source, sequence, payloadLength(sequence));
        byte[] value = RawRecordWriter.encode(i % 5, BASE_TIME + sequence, sequence, source,
                new byte[input.payloadLength()], i % 2 == 0);
        producer.send(new ProducerRecord<>(topic, source.getBytes(StandardCharsets.UTF_8), value), (meta, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            } else {
                ledger.add(new InputLedger.Position(meta.partition(), meta.offset()), input);
            }
        });
    }

    /** Sleeps in ticks so that record {@code i} leaves no earlier than its turn at the rate. */
    private static void pace(int i, int perSecond, long start) throws InterruptedException {
        long due = start + (long) i * 1_000_000_000L / perSecond;
        long wait = due - System.nanoTime();
        if (wait > TICK_MS * 1_000_000L) {
            Thread.sleep(wait / 1_000_000L);
        }
    }
}
