package dev.arenaflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real broker and registry once, and checks what arenaflow relies on them for. */
class LocalStackIT {

    private static final String SNAPSHOT_TOPIC = "snapshots.session";
    private static final String SNAPSHOT_SUBJECT = SNAPSHOT_TOPIC + "-value";
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path tempDir;

    private static LocalStack stack;

    @BeforeAll
    static void startStack() throws InterruptedException {
        long start = System.nanoTime();
        stack = LocalStack.start(tempDir.resolve("stack"), LocalStackLayout.locate(), KafkaOptions.defaults(), true);
        System.out.printf("local stack ready in %d ms; RSS broker %s, registry %s%n",
                (System.nanoTime() - start) / 1_000_000, rss(stack.kafka().pid()), rss(stack.registry().pid()));
    }

    @AfterAll
    static void stopStack() {
        if (stack == null) {
            return;
        }
        long start = System.nanoTime();
        long[] pids = {stack.kafka().pid(), stack.registry().pid()};
        stack.close();
        System.out.printf("local stack closed in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("process %d", pid).isEmpty();
        }
        assertThat(stack.workDir()).doesNotExist();
    }

    @Test
    void shouldProduceAndConsumeOneRecordInAConsumerGroup() throws Exception {
        stack.kafka().createTopics(Map.of("it.plain", 1));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("it.plain", "key", "value")).get();
        }
        // A group, unlike assign(), needs the offsets topic, which one node can only hold unreplicated.
        Map<String, Object> config = new HashMap<>(consumerConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it.group");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config,
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("it.plain"));
            List<ConsumerRecord<String, String>> records = pollUntilAny(consumer);
            consumer.commitSync();
            assertThat(records).extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(tuple("key", "value"));
        }
    }

    @Test
    void shouldRoundTripSnapshotThroughBrokerAndRegistryInConfluentWireFormat() throws Exception {
        stack.kafka().createTopics(Map.of(SNAPSHOT_TOPIC, 1));
        registerSameContentTwice();
        SessionSnapshot sent = snapshot();
        byte[] bytes = serializer().serialize(SNAPSHOT_TOPIC, sent);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(SNAPSHOT_TOPIC, null, bytes)).get();
        }
        byte[] received;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            received = pollOne(consumer, SNAPSHOT_TOPIC).value();
        }

        assertThat(received[0]).as("magic byte").isZero();
        assertThat(deserializer().deserialize(SNAPSHOT_TOPIC, received)).isEqualTo(sent);
        assertWireIdResolvesThroughConfluentApi(ByteBuffer.wrap(received, 1, 4).getInt());
    }

    /**
     * Puts Apicurio's contentId counter ahead of its globalId counter, so that the test can tell
     * which of the two the serializer writes; on an empty registry both would be 1. Apicurio 2.6
     * takes a contentId for every registration, even one that finds the content already there,
     * as the serializer's own find-or-create does; only a new version takes a globalId.
     */
    private static void registerSameContentTwice() throws Exception {
        String schema = "{\"type\":\"record\",\"name\":\"Decoy\",\"fields\":[]}";
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                            stack.registry().apicurioV2Url() + "/groups/default/artifacts?ifExists=RETURN_OR_UPDATE"))
                    .header("Content-Type", "application/json")
                    .header("X-Registry-ArtifactId", "it.decoy")
                    .header("X-Registry-ArtifactType", "AVRO")
                    .POST(HttpRequest.BodyPublishers.ofString(schema)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    /** What a Confluent-protocol consumer does with the id: it must get the whole schema, inline. */
    private static void assertWireIdResolvesThroughConfluentApi(int wireId) throws Exception {
        JsonNode artifact = getJson(stack.registry().apicurioV2Url() + "/groups/default/artifacts/"
                + SNAPSHOT_SUBJECT + "/meta");
        System.out.printf("wire id %d; Apicurio contentId %s, globalId %s%n", wireId,
                artifact.get("contentId"), artifact.get("globalId"));
        assertThat(artifact.get("contentId").asInt()).as("test precondition: the ids differ")
                .isNotEqualTo(artifact.get("globalId").asInt());
        assertThat(wireId).as("wire id is the contentId").isEqualTo(artifact.get("contentId").asInt());
        assertThat(getJson(stack.registry().ccompatUrl() + "/subjects")).extracting(JsonNode::toString)
                .asString().contains(SNAPSHOT_SUBJECT).doesNotContain("SnapshotMeta");

        JsonNode byId = getJson(stack.registry().ccompatUrl() + "/schemas/ids/" + wireId);
        assertThat(byId.path("references").size()).as("references").isZero();
        assertThat(new Schema.Parser().parse(byId.get("schema").asText())).isEqualTo(SessionSnapshot.getClassSchema());

        JsonNode latest = getJson(stack.registry().ccompatUrl() + "/subjects/" + SNAPSHOT_SUBJECT + "/versions/latest");
        assertThat(latest.get("id").asInt()).as("ccompat id of the subject's latest version").isEqualTo(wireId);
    }

    private static AvroKafkaSerializer<SessionSnapshot> serializer() {
        AvroKafkaSerializer<SessionSnapshot> serializer = new AvroKafkaSerializer<>();
        serializer.configure(Map.of(
                "apicurio.registry.url", stack.registry().apicurioV2Url(),
                "apicurio.registry.auto-register", true,
                // SnapshotMeta inline rather than as a reference, for consumers that cannot follow references.
                "apicurio.registry.dereference-schema", true), false);
        return serializer;
    }

    private static AvroKafkaDeserializer<SessionSnapshot> deserializer() {
        AvroKafkaDeserializer<SessionSnapshot> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(Map.of(
                "apicurio.registry.url", stack.registry().apicurioV2Url(),
                "apicurio.registry.use-specific-avro-reader", true), false);
        return deserializer;
    }

    private static SessionSnapshot snapshot() {
        Instant eventTime = Instant.ofEpochMilli(1_764_000_000_123L);
        SnapshotMeta meta = SnapshotMeta.newBuilder()
                .setPlugin("session").setSource("sensor-7").setSequence(42).setType(3)
                .setEventTime(eventTime).setInputTopic("raw.events").setInputPartition(0)
                .setInputOffset(1234).setAttempt(1)
                .build();
        return SessionSnapshot.newBuilder()
                .setMeta(meta).setCount(40).setTotalPayloadBytes(4096)
                .setFirstEventTime(eventTime.minusSeconds(60)).setLastEventTime(eventTime)
                .setLastSequence(42).setGaps(1).setDuplicates(1)
                .build();
    }


    private static <K, V> ConsumerRecord<K, V> pollOne(KafkaConsumer<K, V> consumer, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        List<ConsumerRecord<K, V>> records = pollUntilAny(consumer);
        assertThat(records).as("records in %s", topic).hasSize(1);
        return records.get(0);
    }

    private static <K, V> List<ConsumerRecord<K, V>> pollUntilAny(KafkaConsumer<K, V> consumer) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + POLL_TIMEOUT.toNanos();
        while (records.isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static Map<String, Object> producerConfig() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
    }

    private static Map<String, Object> consumerConfig() {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    }

    private static JsonNode getJson(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Resident memory of a process, from Linux's /proc; "?" elsewhere. */
    private static String rss(long pid) {
        try {
            return java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:")).map(line -> line.substring(6).trim())
                    .findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
