package dev.arenaflow.bench.async;

import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The main class of the child JVM that runs Parallel Consumer in KEY order doing the
 * {@link DelayPlugin}'s work, one output record per input through its producer, until SIGTERM.
 * Prints {@code STARTED <epoch ms>} just before it subscribes, after a warm-up on another topic.
 *
 * <p>Parallel Consumer core has no non-blocking user function: {@code pollAndProduce} runs the
 * function on one of {@code maxConcurrency} worker threads and produces what it returns. So the
 * same kind of timer completes a future after the latency and the worker waits for it, which is
 * how a client is used with it. Its async variants live in the Vert.x and Reactor modules, which
 * do not produce a result record.
 *
 * <p>Arguments: bootstrap servers, input topic, output topic, consumer group, maxConcurrency,
 * latency in ms, warm-up input topic, warm-up output topic, warm-up records. Only client APIs
 * that kafka-clients 3.9 and 4.x share are used here.
 */
public final class ParallelConsumerMain {

    private ParallelConsumerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String bootstrap = args[0];
        int maxConcurrency = Integer.parseInt(args[4]);
        long latencyMs = Long.parseLong(args[5]);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "pc-delay-timer");
            thread.setDaemon(true);
            return thread;
        });
        // The arenaflow runs it is compared with run in a JVM already warmed up on the same work.
        AtomicLong warmed = new AtomicLong();
        ParallelStreamProcessor<byte[], byte[]> warmUp = start(bootstrap, args[3] + "-warm-up", maxConcurrency,
                args[6], args[7], latencyMs, timer, warmed);
        while (warmed.get() < Long.parseLong(args[8])) {
            Thread.sleep(10);
        }
        warmUp.closeDrainFirst();
        System.out.println("STARTED " + System.currentTimeMillis());
        System.out.flush();
        ParallelStreamProcessor<byte[], byte[]> pc = start(bootstrap, args[3], maxConcurrency, args[1], args[2],
                latencyMs, timer, new AtomicLong());
        Runtime.getRuntime().addShutdownHook(new Thread(pc::closeDontDrainFirst, "pc-close"));
    }

    private static ParallelStreamProcessor<byte[], byte[]> start(String bootstrap, String group, int maxConcurrency,
            String input, String output, long latencyMs, ScheduledExecutorService timer, AtomicLong handled) {
        ParallelStreamProcessor<byte[], byte[]> pc = ParallelStreamProcessor.createEosStreamProcessor(
                ParallelConsumerOptions.<byte[], byte[]>builder()
                        .consumer(new KafkaConsumer<>(Map.<String, Object>of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                                ConsumerConfig.GROUP_ID_CONFIG, group,
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                                new ByteArrayDeserializer(), new ByteArrayDeserializer()))
                        .producer(new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap), new ByteArraySerializer(), new ByteArraySerializer()))
                        .ordering(ProcessingOrder.KEY)
                        .maxConcurrency(maxConcurrency)
                        .build());
        pc.subscribe(List.of(input));
        pc.pollAndProduce(context -> {
            CompletableFuture<Void> io = new CompletableFuture<>();
            timer.schedule(() -> io.complete(null), latencyMs, TimeUnit.MILLISECONDS);
            io.join();
            handled.incrementAndGet();
            return new ProducerRecord<>(output, context.key(), result(context.offset()));
        });
        return pc;
    }

    /** A small owned result, as a snapshot would be; its content does not matter. */
    private static byte[] result(long offset) {
        byte[] value = new byte[64];
        for (int i = 0; i < Long.BYTES; i++) {
            value[i] = (byte) (offset >>> (8 * i));
        }
        return value;
    }
}
