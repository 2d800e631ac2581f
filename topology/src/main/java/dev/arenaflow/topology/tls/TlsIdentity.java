package dev.arenaflow.topology.tls;

import dev.arenaflow.topology.ArenaflowConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/**
 * The certificate chain and private key a server presents over TLS, read from two PEM files named
 * by a pair of settings. Reading them at start-up is what validates them: a missing file, a file
 * without a certificate, or a key that is not unencrypted PKCS#8 is a {@link ConfigException}
 * naming the setting, never a handshake failure later. The key's text never appears in a message.
 */
public final class TlsIdentity {

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519");
    /** The in-memory key store needs a password; it never leaves this JVM. */
    private static final char[] STORE_PASSWORD = "arenaflow".toCharArray();

    private final Path certificateFile;
    private final Certificate[] chain;
    private final PrivateKey key;

    private TlsIdentity(Path certificateFile, Certificate[] chain, PrivateKey key) {
        this.certificateFile = certificateFile;
        this.chain = chain;
        this.key = key;
    }

    /** @return the gRPC API's identity, if {@value ArenaflowConfig#GRPC_TLS_CERT_FILE} turns TLS on */
    public static Optional<TlsIdentity> grpc(ArenaflowConfig config) {
        return load(config, ArenaflowConfig.GRPC_TLS_CERT_FILE, ArenaflowConfig.GRPC_TLS_KEY_FILE);
    }

    /** @return the operations endpoint's identity, if {@value ArenaflowConfig#HTTP_TLS_CERT_FILE} turns TLS on */
    public static Optional<TlsIdentity> http(ArenaflowConfig config) {
        return load(config, ArenaflowConfig.HTTP_TLS_CERT_FILE, ArenaflowConfig.HTTP_TLS_KEY_FILE);
    }

    /**
     * @param config the settings
     * @param certSetting the setting naming the certificate chain's PEM file
     * @param keySetting the setting naming the private key's PEM file
     * @return the identity, or empty if neither setting is set
     * @throws ConfigException naming the setting whose file is missing or unreadable, or the one left unset
     */
    static Optional<TlsIdentity> load(ArenaflowConfig config, String certSetting, String keySetting) {
        String certFile = config.getString(certSetting);
        String keyFile = config.getString(keySetting);
        if (certFile.isBlank() && keyFile.isBlank()) {
            return Optional.empty();
        }
        if (certFile.isBlank() || keyFile.isBlank()) {
            String missing = certFile.isBlank() ? certSetting : keySetting;
            throw new ConfigException(missing + " must be set too: TLS needs both " + certSetting + " and "
                    + keySetting);
        }
        Path certPath = Path.of(certFile);
        return Optional.of(new TlsIdentity(certPath, readChain(certSetting, certPath),
                readKey(keySetting, Path.of(keyFile))));
    }

    /** @return the PEM file of the certificate chain, which also serves as the trust anchors of peers */
    public Path certificateFile() {
        return certificateFile;
    }

    /** @return key managers presenting this identity */
    public KeyManager[] keyManagers() {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore(), STORE_PASSWORD);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot use the key read from PEM: " + e.getMessage(), e);
        }
    }

    /** @return an in-memory key store holding this identity under alias {@code server} */
    public KeyStore keyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, STORE_PASSWORD, chain);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot hold the key read from PEM: " + e.getMessage(), e);
        }
    }

    /** @return the password of {@link #keyStore()} and its key */
    public char[] keyStorePassword() {
        return STORE_PASSWORD.clone();
    }

    private static Certificate[] readChain(String setting, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .toArray(Certificate[]::new);
            if (chain.length == 0) {
                throw new ConfigException(setting, file.toString(), "holds no PEM certificate");
            }
            return chain;
        } catch (IOException e) {
            throw new ConfigException(setting, file.toString(), "cannot be read: " + e);
        } catch (GeneralSecurityException e) {
            throw new ConfigException(setting, file.toString(), "is not a PEM certificate chain: " + e.getMessage());
        }
    }

    private static PrivateKey readKey(String setting, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(setting, file.toString(), "cannot be read: " + e);
        }
        Matcher pem = PRIVATE_KEY.matcher(text);
        if (!pem.find()) {
            throw new ConfigException(setting, file.toString(), "holds no unencrypted PKCS#8 key (-----BEGIN "
                    + "PRIVATE KEY-----); convert one with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem.group(1)));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // Not this algorithm; PKCS#8 names it inside, but the JDK wants it up front.
            }
        }
        throw new ConfigException(setting, file.toString(), "holds a key that is not RSA, EC or Ed25519");
    }
}
