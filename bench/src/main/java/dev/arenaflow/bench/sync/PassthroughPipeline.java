package dev.arenaflow.bench.sync;

import dev.arenaflow.local.LocalKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The baseline: a Kafka Streams topology that copies each input record's bytes to an output
 * topic (source, then sink, of byte[]), with Kafka Streams' defaults for the guarantee, as
 * ENVIRONMENT.md's throughput anchors measured it.
 */
final class PassthroughPipeline implements Pipeline {

    private final LocalKafka kafka;
    private final InputTopic input;
    private final String output;
    private final KafkaStreams streams;

    PassthroughPipeline(LocalKafka kafka, InputTopic input, Guarantee guarantee, String applicationId, Path stateDir) {
        this.kafka = kafka;
        this.input = input;
        this.output = applicationId + ".out";
        Topology topology = new Topology();
        topology.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), input.name());
        topology.addSink("out", output, new ByteArraySerializer(), new ByteArraySerializer(), "in");
        this.streams = new KafkaStreams(topology, settings(kafka, guarantee, applicationId, stateDir));
    }

    /** The same settings the arenaflow runs get, less arenaflow's own. */
    static Properties settings(LocalKafka kafka, Guarantee guarantee, String applicationId, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee.config);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }

    @Override
    public void prepare() throws InterruptedException, ExecutionException {
        kafka.createTopics(Map.of(output, input.partitions()));
        Leaders.await(kafka, List.of(output));
    }

    @Override
    public List<String> outputTopics() {
        return List.of(output);
    }

    @Override
    public int outputsPerInput() {
        return 1;
    }

    @Override
    public void start() {
        streams.start();
    }

    @Override
    public void close() {
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
