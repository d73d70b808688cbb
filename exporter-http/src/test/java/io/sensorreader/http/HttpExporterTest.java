package io.sensorreader.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.api.Delivered;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.DeviceStatus;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.Reading;
import io.sensorreader.api.Rejected;
import io.sensorreader.api.RetryLater;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.http.TestCollector.StoredMetric;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpExporterTest {

    static final long T = 1764190000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC);

    TestCollector collector;
    Exporter exporter;

    @BeforeEach
    void start() {
        collector = TestCollector.start(CLOCK);
        exporter = exporter(collector.url(), collector.register("pi-1", "Pump house"));
    }

    @AfterEach
    void stop() {
        exporter.close();
        collector.close();
    }

    Exporter exporter(String url, String token) {
        FakeContext context = new FakeContext(CLOCK).with("COLLECTOR_HOST", url)
                .with("HTTP_CONNECT_TIMEOUT", "300ms").with("HTTP_REQUEST_TIMEOUT", "400ms");
        if (token != null) {
            context.token(token);
        }
        return new HttpExporterFactory().create(context);
    }

    static Reading reading(String id, String type, double value) {
        return new Reading(id, type, "tank " + id, value, null, T, Map.of());
    }

    static SensorBatch batch(Reading... readings) {
        return new SensorBatch(T, List.of(readings));
    }

    @Test
    void deliversSensorBatchAndCollectorStoresIt() {
        Delivery d = exporter.deliver(batch(reading("f1", "FloatSensor", 1.0), reading("e1", "EnergyConsumptionSensor", 2.5)));

        assertThat(d).isEqualTo(new Delivered(201));
        assertThat(collector.metrics()).containsExactly(
                new StoredMetric("f1", "FloatSensor: tank f1", 1.0, T, "pi-1"),
                new StoredMetric("e1", "EnergyConsumptionSensor: tank e1", 2.5, T, "pi-1"));
    }

    @Test
    void deliversDeviceStatus() {
        Delivery d = exporter.deliver(new DeviceStatus(T, Map.of("cpu_usage_percent", 12.5)));

        assertThat(d).isEqualTo(new Delivered(201));
        assertThat(collector.statuses()).singleElement()
                .satisfies(s -> assertThat(s.metrics()).isEqualTo(Map.of("cpu_usage_percent", 12.5)));
    }

    @Test
    void sendsNothingWhileNotRegistered() {
        try (Exporter unregistered = exporter(collector.url(), null)) {
            Delivery d = unregistered.deliver(batch(reading("f1", "FloatSensor", 1.0)));

            assertThat(d).isEqualTo(new RetryLater(RetryLater.Cause.NOT_REGISTERED, 0,
                    "not registered with the collector yet", Optional.empty()));
        }
        assertThat(collector.requests()).isEmpty();
    }

    @Test
    void expiredTokenAsksForRegistration() {
        collector.expireAllTokens();

        Delivery d = exporter.deliver(batch(reading("f1", "FloatSensor", 1.0)));

        assertThat(d).isEqualTo(new RetryLater(RetryLater.Cause.REAUTHENTICATE, 401,
                "/metrics answered 401: Token expired", Optional.empty()));
        assertThat(collector.metrics()).isEmpty();
    }

    @Test
    void unknownTokenAsksForRegistration() {
        try (Exporter stranger = exporter(collector.url(), "0123456789abcdef")) {
            assertThat(stranger.deliver(batch(reading("f1", "FloatSensor", 1.0))))
                    .isEqualTo(new RetryLater(RetryLater.Cause.REAUTHENTICATE, 401,
                            "/metrics answered 401: Invalid authentication token", Optional.empty()));
        }
    }

    @Test
    void mixedBatchWithOneUnknownTypeIsRejectedNamingThatType() {
        Delivery d = exporter.deliver(batch(reading("f1", "FloatSensor", 1.0), reading("p1", "PressureSensor", 2.1)));

        assertThat(d).isEqualTo(new Rejected(422, "Unknown sensor type: PressureSensor", Set.of("PressureSensor")));
        assertThat(collector.metrics()).isEmpty();
    }

    @Test
    void typeWithColonsIsReadWhole() {
        assertThat(HttpExporter.unknownType("Unknown sensor type: Sensors::Pressure")).contains("Sensors::Pressure");
        assertThat(HttpExporter.unknownType("Missing or invalid sensor type in description")).isEmpty();
    }

    @Test
    void descriptionWithoutTypeIsRejectedWithoutUnknownTypes() {
        Delivery d = exporter.deliver(batch(reading("f1", "", 1.0)));

        assertThat(d).isEqualTo(new Rejected(422, "Missing or invalid sensor type in description", Set.of()));
    }

    @Test
    void serverErrorIsTransientWithRetryAfterSeconds() {
        collector.failNext(1, 503, "7");

        Delivery d = exporter.deliver(batch(reading("f1", "FloatSensor", 1.0)));

        assertThat(d).isEqualTo(new RetryLater(RetryLater.Cause.TRANSIENT, 503,
                "/metrics answered 503: {\"error\":\"Internal server error\"}", Optional.of(Duration.ofSeconds(7))));
    }

    @Test
    void retryAfterAsHttpDateIsMeasuredOnTheClock() {
        String in90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(Instant.ofEpochSecond(T + 90), ZoneOffset.UTC));
        collector.failNext(1, 500, in90s);

        RetryLater d = (RetryLater) exporter.deliver(batch(reading("f1", "FloatSensor", 1.0)));

        assertThat(d.after()).contains(Duration.ofSeconds(90));
    }

    @Test
    void retryAfterIsClampedFromZeroToADay() {
        Map<String, Optional<Duration>> cases = new java.util.LinkedHashMap<>();
        cases.put("-5", Optional.of(Duration.ZERO));
        cases.put("0", Optional.of(Duration.ZERO));
        cases.put("+30", Optional.of(Duration.ofSeconds(30)));
        cases.put("86400", Optional.of(Duration.ofDays(1)));
        cases.put("86401", Optional.of(Duration.ofDays(1)));
        cases.put("9223372036854775807", Optional.of(Duration.ofDays(1)));
        cases.put("99999999999999999999999999999", Optional.of(Duration.ofDays(1)));
        cases.put("Fri, 31 Dec 9999 23:59:59 GMT", Optional.of(Duration.ofDays(1)));
        cases.put("Thu, 01 Jan 1970 00:00:00 GMT", Optional.of(Duration.ZERO));
        cases.put("1.5", Optional.empty());
        cases.put("soon", Optional.empty());
        cases.put("-", Optional.empty());
        cases.forEach((header, expected) -> {
            collector.failNext(1, 503, header);

            RetryLater d = (RetryLater) exporter.deliver(batch(reading("f1", "FloatSensor", 1.0)));

            assertThat(d.after()).as(header).isEqualTo(expected);
        });
    }

    @Test
    void secretsInWhatTheServerSaysAreScrubbed() {
        String token = "Tok3n-not-hex_value"; // the faults answer before the collector checks it
        String hex = "ab".repeat(32);
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjMifQ.c2lnbmF0dXJl";
        try (Exporter echoing = exporter(collector.url(), token)) {
            collector.answerGarbageNext(1, 500, "text/plain", "key " + token + " hex " + hex + " jwt " + jwt + " end");
            collector.answerGarbageNext(1, 422, "application/json", "{\"error\": \"bad key " + token + ", " + jwt + "\"}");

            RetryLater failed = (RetryLater) echoing.deliver(batch(reading("f1", "FloatSensor", 1.0)));
            Rejected rejected = (Rejected) echoing.deliver(batch(reading("f1", "FloatSensor", 1.0)));

            assertThat(failed.detail()).isEqualTo("/metrics answered 500: key [redacted] hex [redacted] jwt [redacted] end");
            assertThat(rejected.reason()).isEqualTo("bad key [redacted], [redacted]");
        }
    }

    @Test
    void htmlErrorPageIsTransientAndShowsItsFirstBytes() {
        collector.answerHtmlNext(1, 502);

        RetryLater d = (RetryLater) exporter.deliver(batch(reading("f1", "FloatSensor", 1.0)));

        assertThat(d.cause()).isEqualTo(RetryLater.Cause.TRANSIENT);
        assertThat(d.status()).isEqualTo(502);
        assertThat(d.detail()).startsWith("/metrics answered 502: <html>  <head><title>502 Bad Gateway</title></head>");
    }

    @Test
    void proxyPageWith422IsNotMistakenForARejection() {
        collector.answerHtmlNext(1, 422);

        RetryLater d = (RetryLater) exporter.deliver(batch(reading("f1", "FloatSensor", 1.0)));

        assertThat(d.cause()).isEqualTo(RetryLater.Cause.TRANSIENT);
        assertThat(d.detail()).startsWith("/metrics answered 422 without the collector's {\"error\": ...}; batch kept: <html>");
    }

    @Test
    void twoHundredInsteadOf201KeepsTheBatch() {
        collector.answerStatusInsteadOf201Next(1, 200);

        RetryLater d = (RetryLater) exporter.deliver(batch(reading("f1", "FloatSensor", 1.0)));

        assertThat(d.cause()).isEqualTo(RetryLater.Cause.TRANSIENT);
        assertThat(d.detail()).isEqualTo("/metrics answered 200 instead of 201; batch kept: {\"message\":\"1 metrics created successfully\"}");
    }

    @Test
    void garbageWith201KeepsTheBatch() {
        collector.answerGarbageNext(1, 201, "text/plain", "\u0000\u0001ok?");

        RetryLater d = (RetryLater) exporter.deliver(batch(reading("f1", "FloatSensor", 1.0)));

        assertThat(d).isEqualTo(new RetryLater(RetryLater.Cause.TRANSIENT, 201,
                "/metrics answered 201 without the collector's JSON; batch kept:   ok?", Optional.empty()));
    }

    @Test
    void droppedConnectionIsTransient() {
        collector.dropNext(1);

        RetryLater d = (RetryLater) exporter.deliver(batch(reading("f1", "FloatSensor", 1.0)));

        assertThat(d.cause()).isEqualTo(RetryLater.Cause.TRANSIENT);
        assertThat(d.status()).isZero();
        assertThat(d.detail()).startsWith("/metrics: connection to 127.0.0.1:" + collector.port() + " failed: ");
    }

    @Test
    void slowAnswerIsTransientWithinTheDeadline() {
        collector.delayNext(1, Duration.ofSeconds(3));

        long start = System.nanoTime();
        RetryLater d = (RetryLater) exporter.deliver(batch(reading("f1", "FloatSensor", 1.0)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(d).isEqualTo(RetryLater.transientFailure("/metrics: no answer within 400 ms (request timeout)"));
        assertThat(took).isLessThan(Duration.ofMillis(2500)); // the answer would come at 3 s;
    }

    @Test
    void refusedConnectionIsTransient() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (Exporter nowhere = exporter("http://127.0.0.1:" + closedPort, "abc")) {
            assertThat(nowhere.deliver(batch(reading("f1", "FloatSensor", 1.0))))
                    .isEqualTo(RetryLater.transientFailure("/metrics: connection to 127.0.0.1:" + closedPort + " refused or unreachable"));
        }
    }

    @Test
    void wrongPathIsMisdirected() {
        try (Exporter lost = exporter(collector.url() + "/api/", collector.register("pi-1", "Pump house"))) {
            assertThat(lost.deliver(batch(reading("f1", "FloatSensor", 1.0)))).isEqualTo(new RetryLater(
                    RetryLater.Cause.MISDIRECTED, 404, "/metrics answered 404: the collector URL looks wrong; check "
                    + "SENSOR_READER_COLLECTOR_HOST (" + collector.url() + "/api); batches are kept", Optional.empty()));
        }
    }

    @Test
    void interruptEndsDeliveryAtOnce() throws Exception {
        collector.delayNext(1, Duration.ofSeconds(3));
        AtomicReference<Delivery> result = new AtomicReference<>();
        Thread sender = Thread.ofPlatform().start(() -> result.set(exporter.deliver(batch(reading("f1", "FloatSensor", 1.0)))));
        Thread.sleep(100);

        sender.interrupt();
        sender.join(200);

        assertThat(sender.isAlive()).isFalse();
        assertThat(result.get()).isEqualTo(RetryLater.transientFailure("/metrics: interrupted (shutting down)"));
    }

    @Test
    void destinationIsTheBaseUrl() {
        assertThat(exporter.destination()).isEqualTo(collector.url());
        assertThat(exporter.registrar()).isPresent();
    }

}
