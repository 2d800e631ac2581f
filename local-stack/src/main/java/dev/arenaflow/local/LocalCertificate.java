package dev.arenaflow.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code 127.0.0.1} and {@code localhost}, made with the JDK's own
 * {@code keytool}, in the forms the servers and clients of a local secured stack take: a PKCS12
 * key store (the broker), a PKCS12 trust store holding only the certificate (Kafka clients), and
 * PEM files of the certificate and its PKCS#8 key (the gRPC API and the operations endpoint, and
 * their clients' {@code --tls-ca}).
 *
 * @param keyStore PKCS12 key store with the key and certificate under alias {@code local}
 * @param trustStore PKCS12 trust store with the certificate alone
 * @param password the password of both stores
 * @param certificatePem the certificate, PEM
 * @param keyPem the private key, PKCS#8 PEM
 */
public record LocalCertificate(Path keyStore, Path trustStore, String password, Path certificatePem, Path keyPem) {

    private static final String ALIAS = "local";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    /**
     * Makes a new key pair and certificate, valid for two days, under {@code dir}.
     *
     * @param dir folder of the files; created if missing
     * @param name prefix of the file names, e.g. {@code broker}
     * @param password password of the stores
     * @return the files
     * @throws UncheckedIOException if keytool fails
     */
    public static LocalCertificate create(Path dir, String name, String password) throws InterruptedException {
        try {
            Files.createDirectories(dir);
            Path keyStore = dir.resolve(name + ".keystore.p12");
            Files.deleteIfExists(keyStore);
            keytool(dir, List.of("-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048",
                    "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password));
            KeyStore keys = load(keyStore, password);
            Certificate certificate = keys.getCertificate(ALIAS);
            Key key = keys.getKey(ALIAS, password.toCharArray());
            Path trustStore = writeTrustStore(dir.resolve(name + ".truststore.p12"), certificate, password);
            Path certificatePem = Files.writeString(dir.resolve(name + ".crt.pem"),
                    pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
            Path keyPem = Files.writeString(dir.resolve(name + ".key.pem"), pem("PRIVATE KEY", key.getEncoded()),
                    StandardCharsets.US_ASCII);
            return new LocalCertificate(keyStore, trustStore, password, certificatePem, keyPem);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make a certificate in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not read the certificate keytool made in " + dir, e);
        }
    }

    private static void keytool(Path dir, List<String> args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        Path log = dir.resolve("keytool.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool exited with " + process.exitValue() + ": " + Files.readString(log));
        }
    }

    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static Path writeTrustStore(Path file, Certificate certificate, String password)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry(ALIAS, certificate);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
