package dev.arenaflow.bench.async;

import dev.arenaflow.local.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Kafka Streams copying the input's bytes to another topic, measured like an arenaflow run: the
 * most any Kafka Streams application can do with this input on this broker and machine.
 */
public final class PassthroughRun {

    private PassthroughRun() {
    }

    /**
     * @param label names the application and its output topic
     * @param guarantee {@code at_least_once} or {@code exactly_once_v2}
     * @return the timing from {@code start()} until all copies were seen
     */
    public static Throughput measure(LocalStack stack, String label, String input, int partitions, long records,
                                 String guarantee, Path stateDir, Duration timeout) throws Exception {
        String output = label + ".out";
        stack.kafka().createTopics(Map.of(output, partitions));
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + label);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (OutputCounter out = new OutputCounter(stack.kafka().bootstrapServers(), output);
             KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            long started = System.nanoTime();
            streams.start();
            long ended = out.awaitCount(records, timeout);
            return new Throughput(records, started, out.firstNanos(), ended);
        }
    }
}
