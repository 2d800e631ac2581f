package dev.arenaflow.cli.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSettingsTest {

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("client.properties"), content);
    }

    private static Map<String, String> named(String key, String value) {
        Map<String, String> named = new HashMap<>();
        named.put(key, value);
        return named;
    }

    @Test
    void shouldLayerFileThenOverridesThenNamedOptions() throws IOException {
        Path file = file("bootstrap.servers=file:1\nlinger.ms=1\nacks=1\n# a comment\nsasl.jaas.config=x \\\n  y;\n");

        Map<String, Object> settings = ClientSettings.load(file, Map.of("linger.ms", "2", "bootstrap.servers", "x:2"),
                named("bootstrap.servers", "named:3"));

        assertThat(settings).containsEntry("bootstrap.servers", "named:3").containsEntry("linger.ms", "2")
                .containsEntry("acks", "1").containsEntry("sasl.jaas.config", "x y;").hasSize(4);
    }

    @Test
    void shouldSkipNamedOptionsThatWereNotGiven() throws IOException {
        Map<String, Object> settings = ClientSettings.load(file("bootstrap.servers=file:1\n"), Map.of(),
                named("bootstrap.servers", null));

        assertThat(settings).containsEntry("bootstrap.servers", "file:1");
    }

    @Test
    void shouldFailForAMissingFile() {
        assertThatThrownBy(() -> ClientSettings.load(dir.resolve("nope"), Map.of(), Map.of()))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void shouldRequireBootstrapServers() {
        assertThatThrownBy(() -> ClientSettings.requireBootstrapServers(Map.of("bootstrap.servers", " ")))
                .hasMessageContaining("--bootstrap-server is required");
        ClientSettings.requireBootstrapServers(Map.of("bootstrap.servers", "a:1"));
    }

    @Test
    void shouldMakeProducersDurableUnlessTheUserSaysOtherwise() {
        Map<String, Object> config = ClientSettings.forProducer(Map.of("bootstrap.servers", "a:1",
                "arenaflow.registry.url", "http://r", "apicurio.registry.auth.password", "pw",
                "key.serializer", "nope", "linger.ms", "50"));

        assertThat(config).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .containsEntry("linger.ms", "50")
                .containsEntry("key.serializer", ByteArraySerializer.class.getName())
                .containsEntry("value.serializer", ByteArraySerializer.class.getName())
                .doesNotContainKeys("arenaflow.registry.url", "apicurio.registry.auth.password");
    }

    @Test
    void shouldMakeConsumersGrouplessAndNonCommitting() {
        Map<String, Object> config = ClientSettings.forConsumer(Map.of("bootstrap.servers", "a:1", "group.id", "g",
                "group.instance.id", "i", "enable.auto.commit", "true", "allow.auto.create.topics", "true"),
                "read_committed");

        assertThat(config).doesNotContainKeys("group.id", "group.instance.id")
                .containsEntry("enable.auto.commit", "false")
                .containsEntry("allow.auto.create.topics", "false")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("value.deserializer", ByteArrayDeserializer.class.getName());
    }

    @Test
    void shouldDescribeSettingsByNameOnly() {
        assertThat(ClientSettings.keyNames(Map.of("sasl.jaas.config", "password=\"s3cret\"", "acks", "all")))
                .isEqualTo("acks, sasl.jaas.config");
    }
}
