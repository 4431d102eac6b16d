package io.crmsync.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy that holds every chunk of bytes for a fixed delay in each direction, to stand in for a network hop
 * (this machine's kernel has no netem). With 1 ms each way a request and its reply take 2 ms more, however large
 * the batch they carry, which is the cost pipelining has to hide. Each connection gets, per direction, a reader that
 * timestamps what it reads and a writer that forwards it once its delay is over, in order.
 */
final class LatencyProxy implements AutoCloseable {

    private record Chunk(long due, byte[] bytes) {
    }

    private static final Chunk END = new Chunk(0, new byte[0]);

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final long delayNanos;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    LatencyProxy(String targetHost, int targetPort, Duration eachWay) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.delayNanos = eachWay.toNanos();
        try {
            server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("latency-proxy-" + port(), this::accept).start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            Socket client = null;
            try {
                client = server.accept();
                Socket target = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(target);
                pipe(client, target, "up");
                pipe(target, client, "down");
            } catch (IOException e) {
                if (client != null) {
                    // the target refused: so does the proxy, rather than leave the client waiting
                    close(client);
                }
                if (!closed) {
                    System.err.println("latency proxy to " + targetHost + ":" + targetPort + ": " + e.getMessage());
                }
            }
        }
    }

    /** One direction: read as it comes, forward each chunk its delay later, in order. */
    private void pipe(Socket from, Socket to, String direction) {
        LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        String name = "latency-proxy-" + port() + "-" + from.getPort() + "-" + direction;
        daemon(name + "-read", () -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
                }
            } catch (IOException e) {
                // closed: the writer ends the other side
            }
            queue.add(END);
        }).start();
        daemon(name + "-write", () -> {
            try (OutputStream out = to.getOutputStream()) {
                Chunk chunk;
                while ((chunk = queue.take()) != END) {
                    long wait;
                    while ((wait = chunk.due() - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side is gone
            } finally {
                close(from);
                close(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }).start();
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(LatencyProxy::close);
    }
}
