package io.sensorreader.http;

import io.sensorreader.api.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-process collector follows collector-api.md: what others' tests rely on. */
class TestCollectorTest {

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T12:00:00Z"));
    final HttpClient http = HttpClient.newHttpClient();
    TestCollector collector;

    @BeforeEach
    void start() {
        collector = TestCollector.start(clock);
    }

    @AfterEach
    void stop() {
        collector.close();
        http.close();
    }

    HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(collector.uri().resolve(path))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("X-API-KEY", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String answer(HttpResponse<String> r) {
        return r.statusCode() + " " + r.body();
    }

    static final String F1 = "{\"id\": \"f1\", \"description\": \"FloatSensor: top\", \"value\": 1.0, \"timestamp\": 1764190000}";

    @Test
    void registersByIdAndIssuesA64HexToken() throws Exception {
        HttpResponse<String> r = post("/devices", null, "{\"id\": \"pi-1\", \"description\": \"Pump house\"}");

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).matches("\\{\"message\":\"Device registered successfully\",\"device\":\\{\"id\":1,"
                + "\"external_id\":\"pi-1\"},\"token\":\"[0-9a-f]{64}\"}");
        assertThat(collector.registrations()).isEqualTo(1);
    }

    @Test
    void refusesBlankIdAndDescriptionOfANewDevice() throws Exception {
        assertThat(answer(post("/devices", null, "{\"description\": \" \"}")))
                .isEqualTo("422 {\"error\":\"External can't be blank, Description can't be blank\"}");
        assertThat(collector.devices()).isEmpty();
    }

    @Test
    void newRegistrationRetiresTheOldToken() throws Exception {
        String old = collector.register("pi-1", "Pump house");
        collector.register("pi-1", "Pump house");

        assertThat(answer(post("/metrics", old, "[" + F1 + "]"))).isEqualTo("401 {\"error\":\"Invalid authentication token\"}");
    }

    @Test
    void tokenExpiresAfterThirtyDaysOnTheClock() throws Exception {
        String token = collector.register("pi-1", "Pump house");
        clock.advance(Duration.ofDays(30).minusSeconds(1));
        assertThat(post("/metrics", token, "[]").statusCode()).isEqualTo(201);

        clock.advance(Duration.ofSeconds(1));

        assertThat(answer(post("/metrics", token, "[]"))).isEqualTo("401 {\"error\":\"Token expired\"}");
        HttpResponse<String> renewed = post("/devices", token, "{\"id\": \"ignored\", \"description\": \"x\"}");
        assertThat(renewed.body()).contains("\"external_id\":\"pi-1\"");
    }

    @Test
    void answersAuthProblemsWithTheirTexts() throws Exception {
        assertThat(answer(post("/metrics", null, "[]"))).isEqualTo("401 {\"error\":\"Authentication required\"}");
        assertThat(answer(post("/devices/status", "nope", "{}"))).isEqualTo("401 {\"error\":\"Invalid authentication token\"}");
    }

    @Test
    void validatesMetricsAsTheContractSays() throws Exception {
        String token = collector.register("pi-1", "Pump house");

        assertThat(answer(post("/metrics", token, "{}"))).isEqualTo("400 {\"error\":\"Metrics must be an array\"}");
        assertThat(answer(post("/metrics", token, "[]"))).isEqualTo("201 {\"message\":\"0 metrics created successfully\"}");
        assertThat(answer(post("/metrics", token, "[" + F1 + ", {\"id\": \"x\", \"description\": \"no type\", \"value\": 1}]")))
                .isEqualTo("422 {\"error\":\"Missing or invalid sensor type in description\"}");
        assertThat(answer(post("/metrics", token, "[" + F1 + ", {\"id\": \"p\", \"description\": \"PressureSensor: x\"}]")))
                .isEqualTo("422 {\"error\":\"Unknown sensor type: PressureSensor\"}");
        assertThat(answer(post("/metrics", token, "[" + F1 + ", {\"id\": \"f2\", \"description\": \"FloatSensor: x\", \"value\": 1}]")))
                .isEqualTo("422 {\"error\":\"1 metrics valid, 1 dropped. Errors: sensor[f2]: Missing required fields "
                        + "(value, timestamp, or description)\"}");
        assertThat(answer(post("/metrics", token, "[{\"description\": \"FloatSensor: x\", \"value\": 1, \"timestamp\": 5}]")))
                .isEqualTo("500 {\"error\":\"Internal server error\"}");
        assertThat(collector.metrics()).isEmpty();
    }

    @Test
    void sensorIdBelongsToTheFirstDeviceThatUsedIt() throws Exception {
        String one = collector.register("pi-1", "a");
        String two = collector.register("pi-2", "b");
        assertThat(post("/metrics", one, "[" + F1 + "]").statusCode()).isEqualTo(201);

        assertThat(answer(post("/metrics", two, "[" + F1 + "]"))).isEqualTo("500 {\"error\":\"Internal server error\"}");
        assertThat(post("/metrics", one, "[" + F1 + "]").statusCode()).isEqualTo(201);
        assertThat(collector.metrics()).extracting(TestCollector.StoredMetric::deviceId).containsExactly("pi-1", "pi-1");
    }

    @Test
    void validatesStatus() throws Exception {
        String token = collector.register("pi-1", "Pump house");

        assertThat(answer(post("/devices/status", token, "{\"metrics\": {\"a\": 1}}")))
                .isEqualTo("422 {\"error\":\"Timestamp can't be blank\"}");
        assertThat(answer(post("/devices/status", token, "{\"timestamp\": 5, \"metrics\": {}}")))
                .isEqualTo("422 {\"error\":\"Metrics can't be blank\"}");
        assertThat(answer(post("/devices/status", token, "{}")))
                .isEqualTo("422 {\"error\":\"Timestamp can't be blank, Metrics can't be blank\"}");
        assertThat(answer(post("/devices/status", token, "{\"timestamp\": 5, \"metrics\": {\"t\": null, \"x\": \"y\"}}")))
                .isEqualTo("201 {\"message\":\"Status recorded successfully\"}");
        assertThat(collector.statuses()).singleElement().satisfies(s -> {
            assertThat(s.timestamp()).isEqualTo(5.0);
            assertThat(s.metrics()).containsEntry("t", null).containsEntry("x", "y");
            assertThat(s.deviceId()).isEqualTo("pi-1");
        });
    }

    @Test
    void withoutAcceptJsonAMalformedBodyGetsAnEmptyHtmlAnswer() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(collector.uri().resolve("/devices"))
                .POST(HttpRequest.BodyPublishers.ofString("{oops")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("Content-Type")).contains("text/html");
    }

    @Test
    void faultsApplyToTheNextRequestsInOrderAndAreRecorded() throws Exception {
        collector.failNext(1, 503, "7");
        collector.dropNext(1);

        HttpResponse<String> failed = post("/devices", null, "{\"id\": \"pi-1\", \"description\": \"d\"}");
        assertThatThrownBy(() -> post("/devices", null, "{\"id\": \"pi-1\", \"description\": \"d\"}")).isInstanceOf(IOException.class);
        HttpResponse<String> ok = post("/devices", null, "{\"id\": \"pi-1\", \"description\": \"d\"}");

        assertThat(answer(failed)).isEqualTo("503 {\"error\":\"Internal server error\"}");
        assertThat(failed.headers().firstValue("Retry-After")).contains("7");
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(collector.requests()).extracting(TestCollector.RecordedRequest::answered).containsExactly(503, 0, 201);
        assertThat(collector.registrations()).isEqualTo(1);
    }

    @Test
    void storesOnlyHashesOfTokens() {
        String token = collector.register("pi-1", "Pump house");

        assertThat(TestCollector.sha256(token)).hasSize(64).isNotEqualTo(token);
        assertThat(collector.toString()).doesNotContain(token);
    }

}
