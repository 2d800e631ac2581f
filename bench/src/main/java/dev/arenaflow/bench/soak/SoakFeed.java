package dev.arenaflow.bench.soak;

import dev.arenaflow.record.RawRecordWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The soak's steady producer: Raw Record v1 inputs at a fixed rate until stopped, keyed by source,
 * each source's sequence counting up. Every input the broker acknowledges goes into the ledger with
 * the fault window that was going on when it was handed to the producer. While the broker is down,
 * {@code send} blocks waiting for metadata (seen in a thread dump), so a broker outage's window
 * holds only what was handed over before that, and the feed catches up after.
 *
 * <p>Threading notes: {@link #start} and {@link #stop} from the main thread; the ledger is filled
 * from producer callbacks and read by any thread.
 */
final class SoakFeed {

    private static final int SOURCES = 50;
    private static final int TYPE = 3;
    private static final long EPOCH_MS = 1_764_000_000_000L;
    /** Long enough to ride out the longest broker outage the soak makes. */
    private static final int DELIVERY_TIMEOUT_MS = 300_000;

    private final String bootstrap;
    private final String topic;
    private final FaultLog faults;
    private final Map<InputPosition, String> ledger = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean stopping;
    private Thread thread;

    SoakFeed(String bootstrap, String topic, FaultLog faults) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.faults = faults;
    }

    void start(int perSecond) {
        thread = new Thread(() -> run(perSecond), "soak-feed");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops producing, then waits until every record sent is acknowledged or failed. */
    void stop() throws InterruptedException {
        stopping = true;
        thread.join();
    }

    /** @return acknowledged inputs and their fault windows; a live view */
    Map<InputPosition, String> ledger() {
        return ledger;
    }

    long sent() {
        return sent.get();
    }

    /** @return the first send that failed, or null */
    Exception failure() {
        return failure.get();
    }

    private void run(int perSecond) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, DELIVERY_TIMEOUT_MS), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long interval = 1_000_000_000L / perSecond;
            long start = System.nanoTime();
            for (long i = 0; !stopping && failure.get() == null; i++) {
                long wait = start + i * interval - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                }
                send(producer, i);
            }
            producer.flush();
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    private void send(KafkaProducer<byte[], byte[]> producer, long i) {
        String source = "src-" + (i % SOURCES);
        long sequence = i / SOURCES + 1;
        byte[] value = RawRecordWriter.encode(TYPE, EPOCH_MS + sequence, sequence, source,
                new byte[(int) (sequence % 16)], true);
        String window = faults.current();
        producer.send(new ProducerRecord<>(topic, source.getBytes(StandardCharsets.UTF_8), value), (meta, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            } else {
                ledger.put(new InputPosition(meta.partition(), meta.offset()), window);
            }
        });
        sent.incrementAndGet();
    }
}
