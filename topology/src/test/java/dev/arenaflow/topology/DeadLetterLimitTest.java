package dev.arenaflow.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.record.RawRecordWriter;
import dev.arenaflow.topology.plugins.FailingPlugin;
import dev.arenaflow.topology.testing.InMemoryRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dead letter larger than the producer may send goes without its value, saying how large it was,
 * instead of failing its send (which, under exactly_once_v2, would abort the transaction again and again).
 */
class DeadLetterLimitTest {

    private static final int LIMIT = 1_000;
    private static final int FAILING_TYPE = 5;

    private final InMemoryRegistry registry = new InMemoryRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> input;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dead-letter-limit-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(ArenaflowConfig.PLUGINS, "failing");
        props.put(StreamsConfig.producerPrefix("max.request.size"), Integer.toString(LIMIT));
        ArenaflowConfig config = new ArenaflowConfig(props);
        List<PluginSpec> plugins = PluginCatalog.load(getClass().getClassLoader()).select(config);
        driver = new TopologyTestDriver(ArenaflowTopology.build(config, plugins, registry.serializer()),
                ArenaflowTopology.streamsProperties(props));
        input = driver.createInputTopic("raw-events", new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aMalformedRecordTooLargeForItsDeadLetterGoesWithoutItsValueAndSaysHowLarge() {
        byte[] large = malformed(2_000);
        byte[] small = malformed(10);
        input.pipeInput("a".getBytes(StandardCharsets.UTF_8), large);
        input.pipeInput("a".getBytes(StandardCharsets.UTF_8), small);

        List<TestRecord<byte[], byte[]>> dead = deadLetters("arenaflow.dlq.decode");

        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).value()).isNull();
        assertThat(text(dead.get(0), DeadLetterHeaders.VALUE_DROPPED_BYTES)).isEqualTo(Integer.toString(large.length));
        assertThat(text(dead.get(0), DeadLetterHeaders.ERROR_CODE)).isEqualTo("BAD_CHECKSUM");
        assertThat(text(dead.get(0), DeadLetterHeaders.ORIGIN_TOPIC)).isEqualTo("raw-events");
        assertThat(text(dead.get(0), DeadLetterHeaders.ORIGIN_OFFSET)).isEqualTo("0");
        assertThat(dead.get(1).value()).isEqualTo(small);
        assertThat(text(dead.get(1), DeadLetterHeaders.VALUE_DROPPED_BYTES)).isNull();
    }

    @Test
    void aRejectedMessageTooLargeForItsDeadLetterGoesWithoutItsValueAndTheNextOneStillFlows() {
        byte[] payload = new byte[2_000];
        payload[0] = FailingPlugin.REJECT;
        byte[] large = RawRecordWriter.encode(FAILING_TYPE, 1L, 1L, "a", payload, true);
        byte[] small = RawRecordWriter.encode(FAILING_TYPE, 2L, 2L, "a", new byte[] {FailingPlugin.REJECT}, true);
        input.pipeInput("a".getBytes(StandardCharsets.UTF_8), large);
        input.pipeInput("a".getBytes(StandardCharsets.UTF_8), small);

        List<TestRecord<byte[], byte[]>> dead = deadLetters("arenaflow.dlq.failing");

        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).value()).isNull();
        assertThat(text(dead.get(0), DeadLetterHeaders.VALUE_DROPPED_BYTES)).isEqualTo(Integer.toString(large.length));
        assertThat(text(dead.get(0), DeadLetterHeaders.ERROR_CODE)).isEqualTo("REJECTED");
        assertThat(text(dead.get(0), DeadLetterHeaders.ORIGIN_OFFSET)).isEqualTo("0");
        assertThat(dead.get(1).value()).isEqualTo(small);
    }

    @Test
    void theSizeCountedIsNeverBelowKafkasOwnUpperBound() {
        for (int length : new int[] {0, 1, 127, 128, 16_383, 16_384, 1_000_000}) {
            Headers headers = new RecordHeaders().add("arenaflow.error.code", "BAD_CHECKSUM".getBytes())
                    .add("trace", new byte[length % 300]).add("empty", null);
            byte[] key = new byte[length % 50];
            byte[] value = new byte[length];
            int kafkas = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                    CompressionType.NONE, key, value, headers.toArray());
            assertThat(DeadLetterLimit.sizeOf(key, value, headers)).as("length %d", length)
                    .isGreaterThanOrEqualTo(kafkas).isLessThanOrEqualTo(kafkas + 64);
        }
    }

    @Test
    void aTopicsLimitOnlyGoesDownAndLeavesTheOthersAlone() {
        DeadLetterLimit limit = new DeadLetterLimit(5_000);
        limit.lowerTo("enrich", 8_000);
        assertThat(limit.maxBytes("enrich")).isEqualTo(5_000);
        limit.lowerTo("enrich", 2_000);
        limit.lowerTo("enrich", 3_000);
        assertThat(limit.maxBytes("enrich")).isEqualTo(2_000);
        assertThat(limit.maxBytes(DeadLetterHeaders.DECODE_PLUGIN)).isEqualTo(5_000);
    }

    private static byte[] malformed(int payloadBytes) {
        byte[] value = RawRecordWriter.encode(1, 1L, 1L, "a", new byte[payloadBytes], true);
        value[value.length - 1] ^= 0x01;
        return Arrays.copyOf(value, value.length);
    }

    private List<TestRecord<byte[], byte[]>> deadLetters(String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
    }

    private static String text(TestRecord<byte[], byte[]> record, String header) {
        return DeadLetterHeaders.text(record.headers(), header);
    }
}
