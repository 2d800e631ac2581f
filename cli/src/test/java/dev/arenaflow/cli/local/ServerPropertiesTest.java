package dev.arenaflow.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ServerPropertiesTest {

    private static final Path DATA = Path.of("/tmp/some dir/data").toAbsolutePath();

    @Test
    void shouldConfigureOneCombinedNodeOnLoopback() throws IOException {
        Properties properties = load(ServerProperties.render(9092, 9093, DATA, KafkaOptions.defaults()));

        assertThat(properties).contains(
                entry("process.roles", "broker,controller"),
                entry("node.id", "1"),
                entry("controller.quorum.bootstrap.servers", "127.0.0.1:9093"),
                entry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093"),
                entry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093"),
                entry("controller.listener.names", "CONTROLLER"),
                entry("inter.broker.listener.name", "PLAINTEXT"),
                entry("log.dirs", DATA.toString()),
                entry("group.initial.rebalance.delay.ms", "0"),
                entry("auto.create.topics.enable", "false"),
                entry("num.partitions", "1"));
    }

    @Test
    void shouldReplicateInternalTopicsOnceOnly() throws IOException {
        Properties properties = load(ServerProperties.render(1, 2, DATA, KafkaOptions.defaults()));

        assertThat(properties).contains(
                entry("offsets.topic.replication.factor", "1"),
                entry("transaction.state.log.replication.factor", "1"),
                entry("transaction.state.log.min.isr", "1"),
                entry("share.coordinator.state.topic.replication.factor", "1"),
                entry("share.coordinator.state.topic.min.isr", "1"));
    }

    @Test
    void shouldApplyOptionsLast() throws IOException {
        KafkaOptions options = KafkaOptions.defaults().withDefaultPartitions(4)
                .withConfig("auto.create.topics.enable", "true")
                .withConfig("log.cleaner.backoff.ms", "C:\\odd");

        Properties properties = load(ServerProperties.render(1, 2, DATA, options));

        assertThat(properties).contains(entry("num.partitions", "4"), entry("auto.create.topics.enable", "true"),
                entry("log.cleaner.backoff.ms", "C:\\odd"));
    }

    private static Properties load(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        return properties;
    }
}
