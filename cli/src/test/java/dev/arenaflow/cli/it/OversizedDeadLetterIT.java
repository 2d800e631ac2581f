package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.cli.it.support.FlakyPlugin;
import dev.arenaflow.cli.it.support.ItApp;
import dev.arenaflow.cli.it.support.StackPerClass;
import dev.arenaflow.record.RawRecordWriter;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.DeadLetterHeaders;
import dev.arenaflow.topology.PluginCatalog;
import dev.arenaflow.topology.SnapshotSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dead letters as large as the input topic allows, on the real broker under exactly_once_v2: a
 * 1.5 MB record (over the default arenaflow.max.payload.bytes and the broker's default 1 MB limit;
 * the input topic allows 2 MB) reaches the decode dead-letter topic whole, because arenaflow creates that topic to allow it; a 500 KB
 * rejected record whose dead-letter topic was made beforehand to allow only 200 KB goes there
 * without its value, saying how large it was; a failed attempt too large for its retry topic (made
 * beforehand to allow 200 KB) becomes a dead letter {@code RETRY_TOO_LARGE} and its source goes on;
 * and the stream goes on.
 */
class OversizedDeadLetterIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String APP = "oversized";
    private static final String INPUT = APP + ".raw";
    private static final String RETRY_1S = APP + ".retry." + FlakyPlugin.NAME + ".1s";

    @RegisterExtension
    static final StackPerClass STACK = StackPerClass.start("arenaflow-oversized-it-");

    @Test
    void shouldDeliverLargeDeadLettersWholeOrSayWhyNot() throws Exception {
        try (Admin admin = STACK.kafka().admin()) {
            admin.createTopics(List.of(
                    new NewTopic(INPUT, 1, (short) 1).configs(Map.of("max.message.bytes", "2000000")),
                    new NewTopic(APP + ".dlq." + FlakyPlugin.NAME, 1, (short) 1)
                            .configs(Map.of("max.message.bytes", "200000")),
                    new NewTopic(RETRY_1S, 1, (short) 1)
                            .configs(Map.of("max.message.bytes", "200000")))).all().get(30, TimeUnit.SECONDS);
        }
        byte[] malformed = RawRecordWriter.encode(1, 1L, 1L, "big", new byte[1_500_000], true);
        byte[] rejectedPayload = new byte[500_000];
        rejectedPayload[1] = FlakyPlugin.UNTIL_HEALED;
        byte[] rejected = RawRecordWriter.encode(1, 2L, 2L, "big", rejectedPayload, true);
        byte[] fine = RawRecordWriter.encode(1, 3L, 3L, "small", new byte[] {0}, true);
        byte[] failingPayload = new byte[500_000];
        failingPayload[0] = 1;
        byte[] failing = RawRecordWriter.encode(1, 4L, 1L, "retried", failingPayload, true);
        byte[] behind = RawRecordWriter.encode(1, 5L, 2L, "retried", new byte[] {0}, true);
        produce(malformed, rejected, fine, failing, behind);

        Properties props = ItApp.settings(STACK.get(), APP, "exactly_once_v2", STACK.workDir().resolve("state"));
        props.put(ArenaflowConfig.PLUGINS, FlakyPlugin.NAME);
        props.put("plugin." + FlakyPlugin.NAME + ".retry.ordered", "true");
        try (ArenaflowApplication app = ArenaflowApplication.create(
                ArenaflowSettings.validate(props, PluginCatalog.load(getClass().getClassLoader())),
                SnapshotSerdes.serializer(props))) {
            app.start();
            assertThat(app.awaitRunning(WAIT)).isTrue();

            List<ConsumerRecord<byte[], byte[]>> decodeDead = ItApp.readAll(STACK.get(), APP + ".dlq.decode", 1,
                    new ByteArrayDeserializer());
            List<ConsumerRecord<byte[], byte[]>> pluginDead = ItApp.readAll(STACK.get(), APP + ".dlq." + FlakyPlugin.NAME, 2,
                    new ByteArrayDeserializer());
            List<ConsumerRecord<byte[], Object>> snapshots = ItApp.readAll(STACK.get(), APP + ".snapshots." + FlakyPlugin.NAME,
                    2, SnapshotSerdes.deserializer(props, false));

            assertThat(decodeDead).hasSize(1);
            assertThat(decodeDead.get(0).value()).isEqualTo(malformed);
            assertThat(header(decodeDead.get(0), DeadLetterHeaders.ERROR_CODE)).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(header(decodeDead.get(0), DeadLetterHeaders.VALUE_DROPPED_BYTES)).isNull();

            assertThat(pluginDead).hasSize(2);
            assertThat(pluginDead.get(0).value()).isNull();
            assertThat(header(pluginDead.get(0), DeadLetterHeaders.VALUE_DROPPED_BYTES))
                    .isEqualTo(Integer.toString(rejected.length));
            assertThat(header(pluginDead.get(0), DeadLetterHeaders.ERROR_CODE)).isEqualTo("NOT_HEALED");
            assertThat(header(pluginDead.get(0), DeadLetterHeaders.ORIGIN_TOPIC)).isEqualTo(INPUT);
            assertThat(header(pluginDead.get(0), DeadLetterHeaders.ORIGIN_OFFSET)).isEqualTo("1");

            // Its first attempt failed, and its retry record would not fit the retry topic made to allow 200 KB.
            ConsumerRecord<byte[], byte[]> tooLarge = pluginDead.get(1);
            assertThat(header(tooLarge, DeadLetterHeaders.ERROR_CODE)).isEqualTo("RETRY_TOO_LARGE");
            assertThat(header(tooLarge, DeadLetterHeaders.ERROR_MESSAGE)).startsWith("attempt 1 failed: PLUGIN_EXCEPTION")
                    .contains(RETRY_1S);
            assertThat(header(tooLarge, DeadLetterHeaders.ORIGIN_OFFSET)).isEqualTo("3");
            assertThat(header(tooLarge, DeadLetterHeaders.VALUE_DROPPED_BYTES)).isEqualTo(Integer.toString(failing.length));
            assertThat(ItApp.readAll(STACK.get(), RETRY_1S, 0, new ByteArrayDeserializer())).isEmpty();

            // The later message of its source was not held behind a retry that never went.
            assertThat(snapshots).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("small", "retried");
            assertThat(app.threadDied()).isFalse();
        }
    }

    private static void produce(byte[]... values) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.kafka().bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 3_000_000), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(INPUT, "k".getBytes(StandardCharsets.UTF_8), value)).get();
            }
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return DeadLetterHeaders.text(record.headers(), name);
    }
}
