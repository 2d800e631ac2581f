package dev.arenaflow.local;

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
    void shouldConfigureABrokerAloneWhenItsControllerRunsApart() throws IOException {
        Properties properties = load(ServerProperties.render(9092, 9093, DATA,
                KafkaOptions.defaults().withSeparateController()));

        assertThat(properties).contains(
                entry("process.roles", "broker"),
                entry("node.id", "1"),
                entry("controller.quorum.bootstrap.servers", "127.0.0.1:9093"),
                entry("listeners", "PLAINTEXT://127.0.0.1:9092"),
                entry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092"),
                entry("controller.listener.names", "CONTROLLER"));
    }

    @Test
    void shouldConfigureTheControllerApartFromTheBroker() throws IOException {
        Path controllerData = DATA.resolveSibling("controller-data");
        Properties properties = load(ServerProperties.renderController(9093, controllerData));

        assertThat(properties).containsOnly(
                entry("process.roles", "controller"),
                entry("node.id", "2"),
                entry("controller.quorum.bootstrap.servers", "127.0.0.1:9093"),
                entry("listeners", "CONTROLLER://127.0.0.1:9093"),
                entry("controller.listener.names", "CONTROLLER"),
                entry("log.dirs", controllerData.toString()));
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

    @Test
    void shouldAddASaslSslListenerBesideThePlaintextOne() throws IOException {
        LocalCertificate certificate = new LocalCertificate(Path.of("/certs/k.p12"), Path.of("/certs/t.p12"), "pw",
                Path.of("/certs/c.pem"), Path.of("/certs/k.pem"));
        SecureListener secure = new SecureListener(certificate, "alice", "alicepw");

        Properties properties = load(ServerProperties.render(1, 2, DATA, KafkaOptions.defaults(), secure, 3));

        assertThat(properties).contains(
                entry("listeners", "PLAINTEXT://127.0.0.1:1,CONTROLLER://127.0.0.1:2,SASL_SSL://127.0.0.1:3"),
                entry("inter.broker.listener.name", "PLAINTEXT"),
                entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL"),
                entry("listener.name.sasl_ssl.sasl.enabled.mechanisms", "SCRAM-SHA-512"),
                entry("listener.name.sasl_ssl.ssl.keystore.location", Path.of("/certs/k.p12").toAbsolutePath().toString()));
        assertThat(secure.scramCredential()).isEqualTo("SCRAM-SHA-512=[name=alice,password=alicepw]");
    }

    private static Properties load(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        return properties;
    }
}
