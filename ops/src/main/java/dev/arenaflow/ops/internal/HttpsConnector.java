package dev.arenaflow.ops.internal;

import dev.arenaflow.topology.tls.TlsIdentity;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The operations endpoint's only connector when it serves HTTPS: Jetty's TLS over HTTP/1.1. */
public final class HttpsConnector {

    private HttpsConnector() {
    }

    /**
     * @param server the Jetty server
     * @param plain the HTTP configuration Javalin made
     * @param identity the certificate chain and key to present
     * @param host the address to bind
     * @param port the port to bind; 0 for any free one
     * @return the connector, not started
     */
    public static Connector create(Server server, HttpConfiguration plain, TlsIdentity identity, String host,
                                   int port) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(identity.keyStore());
        tls.setKeyStorePassword(new String(identity.keyStorePassword()));
        HttpConfiguration https = new HttpConfiguration(plain);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Clients check the certificate; a probe reaching the pod by IP sends no matching SNI name.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
