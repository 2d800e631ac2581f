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
 * A TCP proxy on 127.0.0.1 that a test or the soak can cut, black-hole and restore, to make a server
 * unreachable without stopping it (a registry keeps its schemas and ids). Cut: the listening socket
 * closes, so new connections are refused, and every open connection is reset. Black hole: the
 * server seems hung; every open connection is reset, and new ones are accepted and held open
 * without being forwarded or answered, so a client waits for as long as its own timeout lets it.
 * Restored: the held connections are reset and it forwards again, listening on the same port.
 *
 * <p>Threading notes: {@link #cut}, {@link #blackHole} and {@link #restore} from one controlling
 * thread; the proxy runs an accept thread and two copy threads per forwarded connection, all daemons.
 */
public final class TcpProxy implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private volatile boolean holding;

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
        holding = false;
        reset(open);
        reset(held);
    }

    /** Resets the open connections, then accepts new ones and holds them without an answer. */
    public synchronized void blackHole() throws IOException {
        holding = true;
        reset(open);
        listenIfClosed();
    }

    /** Forwards again, on the same port; connections held by a black hole are reset. */
    public synchronized void restore() throws IOException {
        holding = false;
        reset(held);
        listenIfClosed();
    }

    private void listenIfClosed() throws IOException {
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
                // Under the lock, so that no connection is forwarded after blackHole() reset the open ones.
                synchronized (this) {
                    if (holding) {
                        held.add(client);
                        continue;
                    }
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    open.add(client);
                    open.add(server);
                    pipe(client, server);
                    pipe(server, client);
                }
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

    private static void reset(Set<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException e) {
                // Its copy thread closed it between our look and the reset: it is gone already.
                closeQuietly(socket);
            }
        }
        sockets.clear();
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
