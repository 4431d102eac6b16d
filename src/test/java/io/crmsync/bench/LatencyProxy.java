package io.crmsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy that holds every chunk of bytes for a fixed delay in each direction, to stand in for a network hop
 * (this machine's kernel has no netem). With 1 ms each way a request and its reply take 2 ms more, however large
 * the batch they carry, which is the cost pipelining has to hide.
 *
 * <p>Two threads serve all the connections: a selector reads whatever arrives and timestamps it, a writer forwards each
 * chunk once its delay is over. The delay is the same for every chunk, so one queue in arrival order is also in due
 * order, per connection and across them. A thread pair per connection and direction took half a core of this
 * two-core machine at 1,000 ev/s, and its wake-ups stretched a 2 ms round trip to 4-5 ms once the machine was busy.
 */
final class LatencyProxy implements AutoCloseable {

    /** Bytes to forward to {@code to} at {@code due}; no bytes means {@code from} ended, so both sides close. */
    private record Chunk(long due, SocketChannel from, SocketChannel to, ByteBuffer bytes) {
    }

    private static final long FULL_BUFFER_BACKOFF_NANOS = 20_000;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final InetSocketAddress target;
    private final long delayNanos;
    private final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final List<SocketChannel> channels = new CopyOnWriteArrayList<>();
    private final Thread writer;
    private volatile boolean closed;

    LatencyProxy(String targetHost, int targetPort, Duration eachWay) {
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.delayNanos = eachWay.toNanos();
        try {
            selector = Selector.open();
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("latency-proxy-" + port() + "-read", this::read).start();
        writer = daemon("latency-proxy-" + port() + "-write", this::write);
        writer.start();
    }

    int port() {
        return server.socket().getLocalPort();
    }

    private void read() {
        try {
            while (!closed) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    try {
                        if (key.isAcceptable()) {
                            accept();
                        } else if (key.isReadable()) {
                            readFrom(key);
                        }
                    } catch (CancelledKeyException e) {
                        // the writer closed this connection meanwhile: nothing more to read from it
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                System.err.println("latency proxy to " + target + " stopped: " + e);
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel client = server.accept();
        if (client == null) {
            return;
        }
        SocketChannel upstream = null;
        try {
            upstream = SocketChannel.open(target);
            for (SocketChannel channel : new SocketChannel[] {client, upstream}) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(false);
            }
            channels.add(client);
            channels.add(upstream);
            client.register(selector, SelectionKey.OP_READ, upstream);
            upstream.register(selector, SelectionKey.OP_READ, client);
        } catch (IOException e) {
            // the target refused, or the pair could not be set up: close the client rather than leave it waiting
            System.err.println("latency proxy to " + target + ": " + e.getMessage());
            close(client);
            if (upstream != null) {
                close(upstream);
            }
        }
    }

    private void readFrom(SelectionKey key) {
        SocketChannel from = (SocketChannel) key.channel();
        SocketChannel to = (SocketChannel) key.attachment();
        readBuffer.clear();
        int n;
        try {
            n = from.read(readBuffer);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            key.cancel();
            queue.add(new Chunk(System.nanoTime() + delayNanos, from, to, null));
        } else if (n > 0) {
            ByteBuffer bytes = ByteBuffer.allocate(n);
            bytes.put(readBuffer.flip()).flip();
            queue.add(new Chunk(System.nanoTime() + delayNanos, from, to, bytes));
        }
    }

    private void write() {
        try {
            while (!closed) {
                Chunk chunk = queue.take();
                long wait;
                while ((wait = chunk.due() - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (chunk.bytes() == null || !writeFully(chunk)) {
                    close(chunk.from());
                    close(chunk.to());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The channels do not block, so a full socket buffer returns 0; loopback drains it within microseconds. */
    private boolean writeFully(Chunk chunk) {
        try {
            while (chunk.bytes().hasRemaining()) {
                if (chunk.to().write(chunk.bytes()) == 0) {
                    LockSupport.parkNanos(FULL_BUFFER_BACKOFF_NANOS);
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private void close(SocketChannel channel) {
        channels.remove(channel);
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            server.close();
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        channels.forEach(this::close);
    }
}
