package io.sensorreader.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that answers with whatever bytes a test scripts, for what the test collector
 * (the JDK's HttpServer) cannot do: chunked or endless bodies, trickling answers, closing a kept-alive
 * connection, not reading the request. Each accepted connection runs the script on its own thread.
 */
final class RawServer implements AutoCloseable {

    /** What to do with one accepted connection. */
    interface Script {
        void serve(Conn conn) throws Exception;
    }

    /** One accepted connection, with helpers to read requests and write answers. */
    static final class Conn {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Reads one request (head and Content-Length body); null when the client closed first. */
        String readRequest() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                String s = head.toString(StandardCharsets.ISO_8859_1);
                if (s.endsWith("\r\n\r\n")) {
                    int length = 0;
                    for (String line : s.split("\r\n")) {
                        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).strip());
                        }
                    }
                    byte[] body = in.readNBytes(length);
                    return s + new String(body, StandardCharsets.UTF_8);
                }
            }
            return null;
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private final ServerSocket server;
    private final Thread acceptor;
    final AtomicInteger connections = new AtomicInteger();
    final List<String> requests = new ArrayList<>();
    private final List<Socket> open = new ArrayList<>();

    RawServer(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().daemon().name("raw-server").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    synchronized (open) {
                        open.add(s);
                    }
                    Thread.ofPlatform().daemon().start(() -> {
                        try (s) {
                            script.serve(new Conn(s));
                        } catch (Exception e) {
                            // the client went away: fine for these tests
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** Records a request, for the test to count. */
    synchronized void record(String request) {
        requests.add(request);
    }

    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
