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
 * Prints {@code STARTED <epoch ms>} just before it subscribes.
 *
 * <p>Parallel Consumer core has no non-blocking user function: {@code pollAndProduce} runs the
 * function on one of {@code maxConcurrency} worker threads and produces what it returns. So the
 * same kind of timer completes a future after the latency and the worker waits for it, which is
 * how a client is used with it. Its async variants live in the Vert.x and Reactor modules, which
 * do not produce a result record.
 *
 * <p>Arguments: bootstrap servers, input topic, output topic, consumer group, maxConcurrency,
 * latency in ms. Only client APIs that kafka-clients 3.9 and 4.x share are used here.
 */
public final class ParallelConsumerMain {

    private ParallelConsumerMain() {
    }

    public static void main(String[] args) {
        String bootstrap = args[0];
        String output = args[2];
        long latencyMs = Long.parseLong(args[5]);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "pc-delay-timer");
            thread.setDaemon(true);
            return thread;
        });
        ParallelStreamProcessor<byte[], byte[]> pc = ParallelStreamProcessor.createEosStreamProcessor(
                ParallelConsumerOptions.<byte[], byte[]>builder()
                        .consumer(new KafkaConsumer<>(Map.<String, Object>of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                                ConsumerConfig.GROUP_ID_CONFIG, args[3],
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                                new ByteArrayDeserializer(), new ByteArrayDeserializer()))
                        .producer(new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap), new ByteArraySerializer(), new ByteArraySerializer()))
                        .ordering(ProcessingOrder.KEY)
                        .maxConcurrency(Integer.parseInt(args[4]))
                        .build());
        Runtime.getRuntime().addShutdownHook(new Thread(pc::closeDontDrainFirst, "pc-close"));
        System.out.println("STARTED " + System.currentTimeMillis());
        System.out.flush();
        pc.subscribe(List.of(args[1]));
        pc.pollAndProduce(context -> {
            CompletableFuture<Void> io = new CompletableFuture<>();
            timer.schedule(() -> io.complete(null), latencyMs, TimeUnit.MILLISECONDS);
            io.join();
            return new ProducerRecord<>(output, context.key(), result(context.offset()));
        });
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
