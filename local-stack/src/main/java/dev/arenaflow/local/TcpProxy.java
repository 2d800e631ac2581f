package dev.arenaflow.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 that a test or the soak can cut and restore, to make a server unreachable without
 * stopping it (a registry keeps its schemas and ids). Cut: the listening socket closes, so new
 * connections are refused, and every open connection is reset. Restored: it listens again on the
 * same port.
 *
 * <p>Threading notes: {@link #cut} and {@link #restore} from one controlling thread; the proxy runs
 * an accept thread and two copy threads per connection, all daemons.
 */
public final class TcpProxy implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    private TcpProxy(int targetPort, int port) {
        this.targetPort = targetPort;
        this.port = port;
    }

    /** @return a proxy to {@code 127.0.0.1:targetPort}, listening on a free port */
    public static TcpProxy to(int targetPort) throws IOException {
        ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TcpProxy proxy = new TcpProxy(targetPort, first.getLocalPort());
        proxy.listen(first);
        return proxy;
    }

    /** @return the port clients connect to */
    public int port() {
        return port;
    }

    /** Refuses new connections and resets the open ones. */
    public synchronized void cut() throws IOException {
        ServerSocket current = listener;
        listener = null;
        if (current != null) {
            current.close();
        }
        for (Socket socket : open) {
            socket.setSoLinger(true, 0);
            socket.close();
        }
        open.clear();
    }

    /** Listens again on the same port. */
    public synchronized void restore() throws IOException {
        if (listener == null) {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            listen(socket);
        }
    }

    private void listen(ServerSocket socket) {
        listener = socket;
        Thread accept = new Thread(() -> acceptAll(socket), "tcp-proxy-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    private void acceptAll(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(server);
                pipe(client, server);
                pipe(server, client);
            } catch (IOException e) {
                // Closed by cut(), or the target refused: the client sees its connection end.
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread copy = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // One side closed or was reset; closing both ends the other copy too.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-copy");
        copy.setDaemon(true);
        copy.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
