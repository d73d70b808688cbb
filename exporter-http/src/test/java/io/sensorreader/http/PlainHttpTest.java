package io.sensorreader.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sensorreader.api.Delivered;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.Reading;
import io.sensorreader.api.RetryLater;
import io.sensorreader.api.SensorBatch;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The hand-written HTTP/1.1 client, through the exporter, against servers that misbehave on the wire. */
class PlainHttpTest {

    static final long T = 1764190000L;
    static final String CREATED = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n";
    static final String MESSAGE = "{\"message\":\"1 metrics created successfully\"}";

    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(HttpExporter.class);
    final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() throws Exception {
        logger.detachAppender(log);
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    RawServer server(RawServer.Script script) throws IOException {
        RawServer s = new RawServer(script);
        closing.add(s);
        return s;
    }

    Exporter exporter(String url) {
        Exporter e = new HttpExporterFactory().create(new FakeContext().with("COLLECTOR_HOST", url)
                .with("HTTP_CONNECT_TIMEOUT", "300ms").with("HTTP_REQUEST_TIMEOUT", "400ms").token("abc123token"));
        closing.add(e);
        return e;
    }

    static SensorBatch batch(int readings) {
        List<Reading> list = new ArrayList<>();
        for (int i = 0; i < readings; i++) {
            list.add(new Reading("tank_float_" + i, "FloatSensor", "Water tank top level", 1.0, null, T, Map.of()));
        }
        return new SensorBatch(T, list);
    }

    /** Answers every request on the connection with {@code answer}, recording each request. */
    static RawServer.Script answering(RawServer[] self, String answer) {
        return conn -> {
            String request;
            while ((request = conn.readRequest()) != null) {
                self[0].record(request);
                conn.write(answer);
            }
        };
    }

    RawServer answeringServer(String answer) throws IOException {
        RawServer[] self = new RawServer[1];
        self[0] = server(answering(self, answer));
        return self[0];
    }

    @Test
    void sendsTheRequestHeadTheCollectorContractAsks() throws Exception {
        RawServer s = answeringServer(CREATED + "Content-Length: " + MESSAGE.length() + "\r\n\r\n" + MESSAGE);

        assertThat(exporter(s.url() + "/api").deliver(batch(1))).isEqualTo(new Delivered(201));

        String body = batch(1).toJson();
        assertThat(s.requests()).containsExactly("POST /api/metrics HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + s.port() + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Accept: application/json\r\n"
                + "User-Agent: sensor-reader/1.2.3\r\n"
                + "X-API-KEY: abc123token\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "\r\n" + body);
    }

    @Test
    void keepsOneConnectionForManyRequests() throws Exception {
        RawServer s = answeringServer(CREATED + "Content-Length: " + MESSAGE.length() + "\r\n\r\n" + MESSAGE);
        Exporter exporter = exporter(s.url());

        for (int i = 0; i < 5; i++) {
            assertThat(exporter.deliver(batch(2))).isEqualTo(new Delivered(201));
        }

        assertThat(s.requests()).hasSize(5);
        assertThat(s.connections.get()).isEqualTo(1);
    }

    @Test
    void readsAChunkedAnswerAndKeepsTheConnection() throws Exception {
        String chunked = CREATED + "Transfer-Encoding: chunked\r\n\r\n"
                + "b;ext=1\r\n{\"message\":\r\n" + Integer.toHexString(MESSAGE.length() - 11) + "\r\n" + MESSAGE.substring(11)
                + "\r\n0\r\nX-Trailer: yes\r\n\r\n";
        RawServer s = answeringServer(chunked);
        Exporter exporter = exporter(s.url());

        assertThat(exporter.deliver(batch(1))).isEqualTo(new Delivered(201));
        assertThat(exporter.deliver(batch(1))).isEqualTo(new Delivered(201));

        assertThat(s.connections.get()).isEqualTo(1);
    }

    @Test
    void skipsAnInterimAnswer() throws Exception {
        RawServer s = answeringServer("HTTP/1.1 100 Continue\r\n\r\n" + CREATED + "Content-Length: "
                + MESSAGE.length() + "\r\n\r\n" + MESSAGE);

        assertThat(exporter(s.url()).deliver(batch(1))).isEqualTo(new Delivered(201));
    }

    @Test
    void opensANewConnectionWhenTheCollectorClosedTheIdleOneAndSendsNothingTwice() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        RawServer[] self = new RawServer[1];
        self[0] = server(conn -> {
            String request = conn.readRequest();
            self[0].record(request);
            conn.write(CREATED + "Content-Length: " + MESSAGE.length() + "\r\n\r\n" + MESSAGE);
            conn.socket.close(); // an idle timeout on the collector's side, without "Connection: close"
            closed.countDown();
        });
        Exporter exporter = exporter(self[0].url());

        assertThat(exporter.deliver(batch(1))).isEqualTo(new Delivered(201));
        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        // On loopback the FIN is in the client's socket once close() returned.
        assertThat(exporter.deliver(batch(1))).isEqualTo(new Delivered(201));

        assertThat(self[0].requests()).hasSize(2);
        assertThat(self[0].connections.get()).isEqualTo(2);
    }

    @Test
    void answerWithConnectionCloseIsNotReused() throws Exception {
        RawServer s = answeringServer(CREATED + "Connection: close\r\nContent-Length: " + MESSAGE.length() + "\r\n\r\n" + MESSAGE);
        Exporter exporter = exporter(s.url());

        exporter.deliver(batch(1));
        exporter.deliver(batch(1));

        assertThat(s.connections.get()).isEqualTo(2);
    }

    @Test
    void twentyMegabyteBodyOn201CountsAsDeliveredWithAWarningAndIsNotReadWhole() throws Exception {
        AtomicLong written = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        RawServer[] self = new RawServer[1];
        self[0] = server(conn -> {
            try {
                self[0].record(conn.readRequest());
                int total = 20 * 1024 * 1024;
                conn.write(CREATED + "Content-Length: " + total + "\r\n\r\n");
                byte[] piece = new byte[64 * 1024];
                java.util.Arrays.fill(piece, (byte) ' ');
                piece[0] = '{';
                for (int sent = 0; sent < total; sent += piece.length) {
                    conn.out.write(piece);
                    written.addAndGet(piece.length);
                    piece[0] = ' ';
                }
            } finally {
                done.countDown();
            }
        });

        Delivery d = exporter(self[0].url()).deliver(batch(1));

        assertThat(d).isEqualTo(new Delivered(201));
        assertThat(self[0].requests()).hasSize(1);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "/metrics answered 201 with a body over 64 KiB; counted as delivered, the rest of the body not read");
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(written.get()).isLessThan(20L * 1024 * 1024);
    }

    @Test
    void endlessChunkedBodyOn201CountsAsDelivered() throws Exception {
        RawServer s = server(conn -> {
            conn.readRequest();
            conn.write(CREATED + "Transfer-Encoding: chunked\r\n\r\n");
            String chunk = "x".repeat(4096);
            while (true) {
                conn.write(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
        });

        assertThat(exporter(s.url()).deliver(batch(1))).isEqualTo(new Delivered(201));
    }

    @Test
    void longErrorPageIsTransientWithItsFirstBytes() throws Exception {
        String page = "<html>" + "x".repeat(100_000) + "</html>";
        RawServer s = answeringServer("HTTP/1.1 502 Bad Gateway\r\nContent-Length: " + page.length() + "\r\n\r\n" + page);

        RetryLater d = (RetryLater) exporter(s.url()).deliver(batch(1));

        assertThat(d.status()).isEqualTo(502);
        assertThat(d.detail()).isEqualTo("/metrics answered 502: <html>" + "x".repeat(194) + "...");
    }

    @Test
    void answerThatTricklesInEndsAtTheRequestTimeout() throws Exception {
        RawServer s = server(conn -> {
            conn.readRequest();
            conn.write(CREATED + "Content-Length: 1000\r\n\r\n");
            while (true) {
                conn.write(" ");
                Thread.sleep(50);
            }
        });

        long start = System.nanoTime();
        Delivery d = exporter(s.url()).deliver(batch(1));

        assertThat(d).isEqualTo(RetryLater.transientFailure("/metrics: no answer within 400 ms (request timeout)"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5)); // an idle timeout would never end: the server trickles for ever
    }

    @Test
    void collectorThatNeverReadsEndsTheWriteAtTheRequestTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RawServer s = server(conn -> release.await());
        closing.add(release::countDown);

        Delivery d = exporter(s.url()).deliver(batch(100_000)); // about 9 MB: more than the socket buffers take

        // The outcome names the request deadline: the write was ended by it, not by the server.
        assertThat(d).isEqualTo(RetryLater.transientFailure("/metrics: no answer within 400 ms (request timeout)"));
    }

    @Test
    void closedWithoutAnAnswerIsTransient() throws Exception {
        RawServer s = server(conn -> conn.readRequest());

        assertThat(exporter(s.url()).deliver(batch(1))).isEqualTo(RetryLater.transientFailure(
                "/metrics: connection to 127.0.0.1:" + s.port() + " failed: the connection closed without an answer"));
    }

    @Test
    void answerThatIsNotHttpIsTransient() throws Exception {
        RawServer s = answeringServer("SSH-2.0-OpenSSH_9.2\r\n");

        assertThat(exporter(s.url()).deliver(batch(1))).isEqualTo(RetryLater.transientFailure(
                "/metrics: connection to 127.0.0.1:" + s.port() + " failed: the answer is not HTTP/1.x"));
    }

    @Test
    void endlessHeadersAreCutAndTransient() throws Exception {
        RawServer s = server(conn -> {
            conn.readRequest();
            conn.write("HTTP/1.1 201 Created\r\n");
            while (true) {
                conn.write("X-Junk: " + "y".repeat(1000) + "\r\n");
            }
        });

        assertThat(exporter(s.url()).deliver(batch(1))).isEqualTo(RetryLater.transientFailure(
                "/metrics: connection to 127.0.0.1:" + s.port() + " failed: the answer's headers are longer than 16 KiB"));
    }

    @Test
    void httpsGoesThroughTheJdkClient() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertThat(exporter("https://127.0.0.1:" + closedPort).deliver(batch(1))).isEqualTo(RetryLater.transientFailure(
                "/metrics: connection to 127.0.0.1:" + closedPort + " refused or unreachable"));
    }
}
