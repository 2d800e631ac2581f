package dev.arenaflow.cli;

import dev.arenaflow.cli.io.ClientSettings;
import dev.arenaflow.cli.io.OutgoingRecord;
import dev.arenaflow.cli.io.RateLimiter;
import dev.arenaflow.cli.io.SampleGenerator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The demo's producer: sample records from several sources, with gaps, duplicates and a few
 * malformed records, at a steady rate, keyed by source.
 *
 * <p>Threading notes: {@link #run} runs on its own thread; the counters and {@link #stop} are
 * safe to use from any thread.
 */
final class DemoFeed implements Runnable, AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final SampleGenerator generator;
    private final RateLimiter rate;
    private final String topic;
    private final long limit;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean stopped;

    DemoFeed(String bootstrapServers, String topic, SampleGenerator generator, double perSecond, long limit) {
        this.producer = new KafkaProducer<>(ClientSettings.forProducer(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)));
        this.generator = generator;
        this.rate = new RateLimiter(perSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
        this.topic = topic;
        this.limit = limit;
    }

    @Override
    public void run() {
        while (!stopped && (limit == 0 || sent.get() < limit) && rate.acquire(() -> stopped)) {
            OutgoingRecord record = generator.next();
            producer.send(new ProducerRecord<>(topic, record.key(), record.value()), (metadata, e) -> {
                if (e != null) {
                    failed.incrementAndGet();
                }
            });
            sent.incrementAndGet();
            if (record.malformed()) {
                malformed.incrementAndGet();
            }
        }
        producer.flush();
    }

    /** @return records handed to the producer */
    long sent() {
        return sent.get();
    }

    /** @return how many of them were malformed on purpose */
    long malformed() {
        return malformed.get();
    }

    /** @return records the broker did not take */
    long failed() {
        return failed.get();
    }

    /** @return true once the limit is reached; never for an unlimited feed */
    boolean done() {
        return limit > 0 && sent.get() >= limit;
    }

    void stop() {
        stopped = true;
    }

    /** Closes the producer; call after the thread running {@link #run} has ended. */
    @Override
    public void close() {
        stop();
        producer.close();
    }
}
