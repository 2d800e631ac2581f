package dev.arenaflow.topology.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginCatalog;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS settings of the gRPC API and the operations endpoint are read at start-up: a PEM pair
 * made by the JDK's keytool is accepted, and every way of getting them wrong stops start-up with a
 * {@link ConfigException} naming the setting.
 */
class TlsIdentityTest {

    @TempDir
    static Path dir;
    private static Path cert;
    private static Path key;

    @BeforeAll
    static void makeCertificate() throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "s", "-keyalg", "EC", "-dname", "CN=localhost", "-validity", "1",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        cert = Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", keys.getCertificate("s").getEncoded()));
        key = Files.writeString(dir.resolve("key.pem"),
                pem("PRIVATE KEY", keys.getKey("s", "changeit".toCharArray()).getEncoded()));
    }

    @Test
    void shouldReadACertificateAndAPkcs8Key() {
        TlsIdentity identity = TlsIdentity.grpc(config(Map.of(ArenaflowConfig.GRPC_TLS_CERT_FILE, cert.toString(),
                ArenaflowConfig.GRPC_TLS_KEY_FILE, key.toString()))).orElseThrow();

        assertThat(identity.certificateFile()).isEqualTo(cert);
        assertThat(identity.keyManagers()).isNotEmpty();
    }

    @Test
    void shouldBeOffWhenNeitherFileIsSet() {
        assertThat(TlsIdentity.grpc(config(Map.of()))).isEmpty();
        assertThat(TlsIdentity.http(config(Map.of()))).isEmpty();
    }

    @Test
    void shouldNameTheSettingOfAMissingFile() {
        assertThatThrownBy(() -> TlsIdentity.http(config(Map.of(ArenaflowConfig.HTTP_TLS_CERT_FILE,
                dir.resolve("nowhere.pem").toString(), ArenaflowConfig.HTTP_TLS_KEY_FILE, key.toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ArenaflowConfig.HTTP_TLS_CERT_FILE)
                .hasMessageContaining("nowhere.pem");
    }

    @Test
    void shouldNameTheKeySettingWhenOnlyTheCertificateIsSet() {
        assertThatThrownBy(() -> TlsIdentity.grpc(config(Map.of(ArenaflowConfig.GRPC_TLS_CERT_FILE, cert.toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ArenaflowConfig.GRPC_TLS_KEY_FILE);
    }

    @Test
    void shouldRefuseAKeyFileWithoutAPkcs8KeyWithoutQuotingIt() throws Exception {
        Path rsa = Files.writeString(dir.resolve("pkcs1.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWtleS10ZXh0\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> TlsIdentity.grpc(config(Map.of(ArenaflowConfig.GRPC_TLS_CERT_FILE, cert.toString(),
                ArenaflowConfig.GRPC_TLS_KEY_FILE, rsa.toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ArenaflowConfig.GRPC_TLS_KEY_FILE)
                .hasMessageContaining("PKCS#8").hasMessageNotContaining("c2VjcmV0LWtleS10ZXh0");
    }

    @Test
    void shouldRefuseACertificateFileThatHoldsAKey() {
        assertThatThrownBy(() -> TlsIdentity.http(config(Map.of(ArenaflowConfig.HTTP_TLS_CERT_FILE, key.toString(),
                ArenaflowConfig.HTTP_TLS_KEY_FILE, key.toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ArenaflowConfig.HTTP_TLS_CERT_FILE);
    }

    @Test
    void shouldStopStartUpValidationAtABadPath() {
        Properties props = minimal();
        props.put(ArenaflowConfig.GRPC_TLS_CERT_FILE, "/no/such/cert.pem");
        props.put(ArenaflowConfig.GRPC_TLS_KEY_FILE, key.toString());

        assertThatThrownBy(() -> ArenaflowSettings.validate(props, PluginCatalog.load(getClass().getClassLoader())))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ArenaflowConfig.GRPC_TLS_CERT_FILE)
                .hasMessageContaining("/no/such/cert.pem");
    }

    @Test
    void shouldRefuseAnOpenPathThatIsNotAPath() {
        Properties props = minimal();
        props.put(ArenaflowConfig.HTTP_OPEN_PATHS, "metrics");

        assertThatThrownBy(() -> ArenaflowSettings.validate(props, PluginCatalog.load(getClass().getClassLoader())))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ArenaflowConfig.HTTP_OPEN_PATHS);
    }

    @Test
    void shouldKeepTheTokensHidden() {
        ArenaflowConfig config = config(Map.of(ArenaflowConfig.HTTP_TOKEN, "tok-51ab", ArenaflowConfig.GRPC_TOKEN,
                "tok-62bc"));

        assertThat(config.getPassword(ArenaflowConfig.HTTP_TOKEN).toString()).isEqualTo("[hidden]");
        assertThat(config.httpToken()).isEqualTo("tok-51ab");
        assertThat(config.grpcToken()).isEqualTo("tok-62bc");
        assertThat(ArenaflowSettings.printable(ArenaflowConfig.GRPC_TOKEN, "tok-62bc")).isEqualTo("[hidden]");
        assertThat(ArenaflowSettings.printable(ArenaflowConfig.HTTP_TOKEN, "tok-51ab")).isEqualTo("[hidden]");
    }

    @Test
    void shouldMaskSecretLookingValuesInAMessage() {
        Map<String, String> overrides = Map.of("api.password", "pw-77", "url", "http://x");

        assertThat(ArenaflowSettings.withoutSecrets("bad value pw-77 and http://x", overrides))
                .isEqualTo("bad value [hidden] and http://x");
        assertThat(ArenaflowSettings.printable(overrides)).containsEntry("api.password", "[hidden]")
                .containsEntry("url", "http://x");
    }

    private static Properties minimal() {
        Properties props = new Properties();
        props.put("application.id", "tls-test");
        props.put("bootstrap.servers", "127.0.0.1:9");
        props.put(ArenaflowConfig.REGISTRY_URL, "http://127.0.0.1:9/apis/registry/v2");
        props.put(ArenaflowConfig.PLUGINS, "session");
        return props;
    }

    private static ArenaflowConfig config(Map<String, String> settings) {
        return new ArenaflowConfig(settings);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

}
