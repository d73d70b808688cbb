package io.sensorreader.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.api.Exporter;
import io.sensorreader.api.Registrar;
import io.sensorreader.api.Registration;
import io.sensorreader.api.Registration.Failed;
import io.sensorreader.api.Registration.Registered;
import io.sensorreader.api.Secret;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CollectorRegistrarTest {

    TestCollector collector;
    Exporter exporter;
    Registrar registrar;

    @BeforeEach
    void start() {
        collector = TestCollector.start();
        exporter = new HttpExporterFactory().create(new FakeContext().with("COLLECTOR_HOST", collector.url()));
        registrar = exporter.registrar().orElseThrow();
    }

    @AfterEach
    void stop() {
        exporter.close();
        collector.close();
    }

    @Test
    void registersNewDevice() {
        Registered r = (Registered) registrar.register("pi-1", "Pump house", Optional.empty());

        assertThat(r.collectorId()).isEqualTo("1");
        assertThat(r.token().reveal()).matches("[0-9a-f]{64}");
        assertThat(collector.devices()).containsExactly(new TestCollector.Device(1, "pi-1", "Pump house"));
    }

    @Test
    void renewsExpiredTokenOfTheSameDeviceWhateverTheId() {
        Registered first = (Registered) registrar.register("pi-1", "Pump house", Optional.empty());
        collector.expireAllTokens();

        Registered again = (Registered) registrar.register("other-id", "Pump house", Optional.of(first.token()));

        assertThat(again.collectorId()).isEqualTo("1");
        assertThat(again.token()).isNotEqualTo(first.token());
        assertThat(collector.devices()).hasSize(1);
        assertThat(collector.registrations()).isEqualTo(2);
    }

    @Test
    void blankIdIsAPermanentFailure() {
        Registration r = registrar.register(" ", "", Optional.empty());

        assertThat(r).isEqualTo(new Failed(422, "/devices answered 422: External can't be blank, Description can't be blank", true));
    }

    @Test
    void serverErrorIsATemporaryFailure() {
        collector.failNext(1, 500);

        assertThat(registrar.register("pi-1", "Pump house", Optional.empty()))
                .isEqualTo(new Failed(500, "/devices answered 500: Internal server error", false));
    }

    @Test
    void answerWithoutTokenIsAFailureThatDoesNotEchoTheBody() {
        collector.answerGarbageNext(1, 201, "application/json", "{\"message\": \"ok\", \"tokn\": \"secret\"}");

        assertThat(registrar.register("pi-1", "Pump house", Optional.empty()))
                .isEqualTo(new Failed(201, "/devices answered 201 without a usable token (35 bytes)", false));
    }

    @Test
    void droppedConnectionIsATemporaryFailure() {
        collector.dropNext(1);

        Failed f = (Failed) registrar.register("pi-1", "Pump house", Optional.empty());

        assertThat(f.status()).isZero();
        assertThat(f.permanent()).isFalse();
    }

    @Test
    void unsendableOldTokenFallsBackToTheDeviceId() {
        collector.register("pi-1", "Pump house");

        Registered r = (Registered) registrar.register("pi-1", "Pump house", Optional.of(Secret.of("t\u00f6ken")));

        assertThat(r.collectorId()).isEqualTo("1");
    }
}
