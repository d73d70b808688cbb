package io.sensorreader.http;

import io.sensorreader.http.CollectorClient.Response.Answered;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 client for {@code http://} collectors, over a non-blocking socket: the JDK's
 * HTTP client sets up TLS and reads the trust store even for plain HTTP, which cost 10.6 MB of
 * resident memory and about 600 classes (issue 15). It does what the collector contract needs and
 * no more: {@code POST} with a {@code Content-Length} body, keep-alive (connections are reused
 * while the collector keeps them open), answers framed by {@code Content-Length}, chunked or by
 * the end of the connection, interim 1xx answers skipped, no redirects, no compression.
 *
 * <p>Every wait is bounded in the calling thread, with no helper thread: connecting by the connect
 * timeout, writing the request and reading the whole answer by the request timeout, each wait a
 * {@link Selector#select(long)} with what is left. An interrupt ends the wait at once. At most
 * {@code bodyLimit} bytes of an answer's body are read: a longer answer is cut there and its
 * connection closed, so a hostile server can make the agent neither read 20 MB nor wait for it.
 * Host names are resolved when a connection is opened, by the system resolver (its own timeouts).
 *
 * <p>A connection that comes back from the pool is checked first: if the collector closed it
 * meanwhile (a FIN or reset is waiting), or it has been idle longer than {@link #MAX_IDLE_NANOS},
 * a fresh one is opened. A request is never sent twice by this class.
 */
final class PlainHttp implements Transport {

    /** A connection idle longer than this is not reused: a NAT or firewall may have dropped it silently. */
    static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Idle connections kept: the live path and the retry worker each need one. */
    static final int MAX_IDLE = 2;
    /** The status line and headers of one answer. */
    static final int MAX_HEAD = 16 * 1024;
    private static final int WRITE_SLICE = 32 * 1024;

    private final String host;
    private final int port;
    private final String hostHeader;
    private final Limits limits;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final Set<Connection> busy = new HashSet<>();
    private boolean closed;

    PlainHttp(String host, int port, String hostHeader, Limits limits) {
        this.host = host;
        this.port = port;
        this.hostHeader = hostHeader;
        this.limits = limits;
    }

    @Override
    public Answered post(String target, String[] headers, byte[] body) throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Connection c = take();
        if (c == null) {
            c = open(System.nanoTime() + limits.connectTimeout().toNanos());
        }
        boolean keep = false;
        try {
            long deadline = System.nanoTime() + limits.requestTimeout().toNanos();
            byte[] head = head(target, headers, body.length);
            if (body.length <= WRITE_SLICE - head.length) {
                byte[] all = Arrays.copyOf(head, head.length + body.length);
                System.arraycopy(body, 0, all, head.length, body.length);
                c.write(all, deadline);
            } else {
                c.write(head, deadline);
                c.write(body, deadline);
            }
            Reply reply = c.readReply(deadline, limits.bodyLimit());
            keep = reply.reusable;
            return reply.answer;
        } finally {
            give(c, keep);
        }
    }

    private byte[] head(String target, String[] headers, int length) {
        StringBuilder h = new StringBuilder(256);
        h.append("POST ").append(target).append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        h.append("Content-Length: ").append(length).append("\r\n\r\n");
        return h.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** An idle connection that is still open, or null; registers it as busy. */
    private Connection take() {
        while (true) {
            Connection c;
            synchronized (this) {
                c = idle.pollFirst();
                if (c == null) {
                    return null;
                }
                busy.add(c);
            }
            if (c.stillOpen()) {
                return c;
            }
            give(c, false);
        }
    }

    private Connection open(long deadline) throws IOException, InterruptedException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UnknownHostException("unknown host " + host);
        }
        Connection c = new Connection(SocketChannel.open(), Selector.open());
        synchronized (this) {
            if (closed) {
                c.close();
                throw new ClosedChannelException();
            }
            busy.add(c);
        }
        try {
            c.connect(address, deadline);
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            give(c, false);
            throw e;
        }
    }

    private void give(Connection c, boolean keep) {
        Connection evicted = null;
        synchronized (this) {
            busy.remove(c);
            if (keep && !closed) {
                c.idleSince = System.nanoTime();
                idle.addFirst(c);
                if (idle.size() > MAX_IDLE) {
                    evicted = idle.pollLast();
                }
                c = null;
            }
        }
        if (c != null) {
            c.close();
        }
        if (evicted != null) {
            evicted.close();
        }
    }

    @Override
    public void close() {
        Connection[] all;
        synchronized (this) {
            closed = true;
            all = new Connection[idle.size() + busy.size()];
            int n = 0;
            for (Connection c : idle) {
                all[n++] = c;
            }
            for (Connection c : busy) {
                all[n++] = c;
            }
            idle.clear();
        }
        for (Connection c : all) {
            c.close();
        }
    }

    /** An answer and whether its connection can carry the next request. */
    private record Reply(Answered answer, boolean reusable) {
    }

    /** One socket, its selector, and what was read from it but not used yet. */
    private static final class Connection {

        private final SocketChannel channel;
        private final Selector selector;
        private final SelectionKey key;
        private final ByteBuffer in = ByteBuffer.allocate(8192).limit(0);
        long idleSince;

        Connection(SocketChannel channel, Selector selector) throws IOException {
            this.channel = channel;
            this.selector = selector;
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                this.key = channel.register(selector, 0);
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        void connect(InetSocketAddress address, long deadline) throws IOException, InterruptedException {
            if (channel.connect(address)) {
                return;
            }
            while (!channel.finishConnect()) {
                await(SelectionKey.OP_CONNECT, deadline, true);
            }
        }

        /** No FIN, reset or stray bytes waiting, and not idle too long. */
        boolean stillOpen() {
            if (System.nanoTime() - idleSince > MAX_IDLE_NANOS || in.hasRemaining()) {
                return false;
            }
            try {
                in.clear();
                int n = channel.read(in);
                in.flip();
                return n == 0;
            } catch (IOException e) {
                return false;
            }
        }

        void write(byte[] data, long deadline) throws IOException, InterruptedException {
            for (int off = 0; off < data.length; off += WRITE_SLICE) {
                // Slices keep the JDK's per-thread copy into native memory small.
                ByteBuffer b = ByteBuffer.wrap(data, off, Math.min(WRITE_SLICE, data.length - off));
                while (b.hasRemaining()) {
                    if (channel.write(b) == 0) {
                        await(SelectionKey.OP_WRITE, deadline, false);
                    }
                }
            }
        }

        /** Waits until the channel is ready for {@code op}, or the deadline passes, or an interrupt. */
        private void await(int op, long deadline, boolean connecting) throws IOException, InterruptedException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw connecting ? new ConnectTimeout() : new RequestTimeout();
            }
            try {
                key.interestOps(op);
                // select(0) would wait for ever: at least 1 ms.
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                selector.selectedKeys().clear();
            } catch (ClosedSelectorException | CancelledKeyException e) {
                throw new ClosedChannelException(); // closed by close() from another thread
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (!channel.isOpen()) {
                throw new ClosedChannelException();
            }
        }

        /** The next byte, or -1 at the end of the stream. */
        private int read(long deadline) throws IOException, InterruptedException {
            while (!in.hasRemaining()) {
                in.clear();
                int n;
                try {
                    n = channel.read(in);
                } finally {
                    in.flip();
                }
                if (n < 0) {
                    return -1;
                }
                if (n == 0) {
                    await(SelectionKey.OP_READ, deadline, false);
                }
            }
            return in.get() & 0xff;
        }

        private int readOrFail(long deadline) throws IOException, InterruptedException {
            int b = read(deadline);
            if (b < 0) {
                throw new EOFException("the connection closed in the middle of the answer");
            }
            return b;
        }

        /** One line of the head, without CR LF; {@code budget[0]} counts down the head's bytes. */
        private String line(long deadline, int[] budget, boolean first) throws IOException, InterruptedException {
            StringBuilder s = new StringBuilder(64);
            while (true) {
                int b = read(deadline);
                if (b < 0) {
                    throw new EOFException(first && s.isEmpty()
                            ? "the connection closed without an answer"
                            : "the connection closed in the middle of the answer");
                }
                if (--budget[0] < 0) {
                    throw new IOException("the answer's headers are longer than " + MAX_HEAD / 1024 + " KiB");
                }
                if (b == '\n') {
                    int end = s.length();
                    if (end > 0 && s.charAt(end - 1) == '\r') {
                        s.setLength(end - 1);
                    }
                    return s.toString();
                }
                s.append((char) b);
                first = false;
            }
        }

        Reply readReply(long deadline, int limit) throws IOException, InterruptedException {
            while (true) {
                int[] budget = {MAX_HEAD};
                String status = line(deadline, budget, true);
                // "HTTP/1.1 201 Created"
                if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' '
                        || !isDigits(status, 9, 12) || status.length() > 12 && status.charAt(12) != ' ') {
                    throw new IOException("the answer is not HTTP/1.x");
                }
                int code = Integer.parseInt(status.substring(9, 12));
                boolean http10 = status.startsWith("HTTP/1.0");
                Map<String, String> headers = new LinkedHashMap<>();
                for (String h = line(deadline, budget, false); !h.isEmpty(); h = line(deadline, budget, false)) {
                    int colon = h.indexOf(':');
                    if (colon <= 0) {
                        throw new IOException("the answer has a malformed header line");
                    }
                    String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).strip();
                    headers.merge(name, value, (a, b) -> a + ", " + b);
                }
                if (code >= 100 && code < 200) {
                    continue; // 100 Continue and friends: the real answer follows
                }
                return body(code, headers, http10, deadline, limit);
            }
        }

        private Reply body(int code, Map<String, String> headers, boolean http10, long deadline, int limit)
                throws IOException, InterruptedException {
            String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
            boolean keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");
            Body body = new Body(limit);
            boolean complete;
            String te = headers.get("transfer-encoding");
            String length = headers.get("content-length");
            if (code == 204 || code == 304) {
                complete = true;
            } else if (te != null && te.toLowerCase(Locale.ROOT).strip().endsWith("chunked")) {
                complete = chunked(body, deadline);
            } else if (te == null && length != null) {
                if (!isDigits(length, 0, length.length()) || length.length() > 18) {
                    throw new IOException("the answer's Content-Length is not a number");
                }
                long n = Long.parseLong(length);
                complete = fixed(body, n, deadline);
            } else {
                // Framed by the end of the connection.
                while (!body.full()) {
                    int b = read(deadline);
                    if (b < 0) {
                        break;
                    }
                    body.add(b);
                }
                complete = false;
                keepAlive = false;
            }
            Answered answer = new Answered(code, headers, body.bytes(), body.truncated, Optional.empty());
            return new Reply(answer, complete && keepAlive && !in.hasRemaining());
        }

        private boolean fixed(Body body, long n, long deadline) throws IOException, InterruptedException {
            for (long k = 0; k < n; k++) {
                if (body.full()) {
                    body.truncated = true;
                    return false;
                }
                body.add(readOrFail(deadline));
            }
            return true;
        }

        private boolean chunked(Body body, long deadline) throws IOException, InterruptedException {
            while (true) {
                int[] budget = {1024};
                String sizeLine = line(deadline, budget, false);
                int semicolon = sizeLine.indexOf(';');
                String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
                long size;
                try {
                    size = hex.isEmpty() || hex.length() > 15 ? -1 : Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    size = -1;
                }
                if (size < 0) {
                    throw new IOException("the answer's chunked body is malformed");
                }
                if (size == 0) {
                    int[] trailers = {MAX_HEAD};
                    while (!line(deadline, trailers, false).isEmpty()) {
                        // trailers are read and ignored
                    }
                    return true;
                }
                if (!fixed(body, size, deadline)) {
                    return false;
                }
                if (!line(deadline, budget, false).isEmpty()) {
                    throw new IOException("the answer's chunked body is malformed");
                }
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to release
            }
            try {
                selector.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }

    private static boolean isDigits(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The bytes of a body, up to the limit. */
    private static final class Body {
        private final int limit;
        private byte[] bytes = new byte[256];
        private int size;
        boolean truncated;

        Body(int limit) {
            this.limit = limit;
        }

        boolean full() {
            if (size >= limit) {
                truncated = true;
                return true;
            }
            return false;
        }

        void add(int b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(limit, bytes.length * 2));
            }
            bytes[size++] = (byte) b;
        }

        byte[] bytes() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
