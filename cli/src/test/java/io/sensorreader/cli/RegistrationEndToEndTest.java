package io.sensorreader.cli;

import io.sensorreader.api.agent.MapConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sensorreader.api.Delivered;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.ExporterContext;
import io.sensorreader.api.ExporterFactory;
import io.sensorreader.api.PluginConfig;
import io.sensorreader.api.Reading;
import io.sensorreader.api.Rejected;
import io.sensorreader.api.RetryLater;
import io.sensorreader.api.Secret;
import io.sensorreader.api.SensorBatch;
import io.sensorreader.api.TokenSource;
import io.sensorreader.core.TokenKeeper;
import io.sensorreader.http.TestCollector;
import io.sensorreader.http.TestCollector.StoredMetric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The token keeper of sensor-core, the http exporter found through the SPI and the in-process
 * collector, together over loopback. The sender here does what the delivery pipeline does on a
 * 401: renew once, resend once.
 */
class RegistrationEndToEndTest {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final long T = 1764190000L;

    @TempDir
    Path data;
    TestCollector collector;
    final List<Agent> agents = new ArrayList<>();
    final List<Secret> tokensSeen = new CopyOnWriteArrayList<>();
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void start() {
        collector = TestCollector.start();
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void stop() {
        agents.forEach(Agent::close);
        collector.close();
        root.detachAppender(log);
        for (ILoggingEvent e : log.list) {
            for (Secret token : tokensSeen) {
                assertThat(e.getFormattedMessage()).doesNotContain(token.reveal());
            }
        }
    }

    /** What the cli wires up: the exporter by name, its registrar into the keeper, the keeper as token source. */
    final class Agent implements AutoCloseable {
        final Exporter exporter;
        final TokenKeeper keeper;

        Agent(Optional<Secret> configured) {
            AtomicReference<TokenKeeper> keeperRef = new AtomicReference<>();
            ExporterFactory http = ServiceLoader.load(ExporterFactory.class).stream().map(ServiceLoader.Provider::get)
                    .filter(f -> f.name().equals("http")).findFirst().orElseThrow();
            exporter = http.create(new Context(collector.url(), () -> keeperRef.get().current()));
            keeper = new TokenKeeper(data.resolve("token"), configured, exporter.registrar().orElseThrow(),
                    "pi-1", "Pump house", Clock.systemUTC());
            keeperRef.set(keeper);
            agents.add(this);
        }

        /** One delivery as the pipeline makes it: on a 401, one renewal and one resend. */
        Delivery send(SensorBatch batch) {
            Optional<Secret> used = keeper.current();
            used.ifPresent(tokensSeen::add);
            Delivery first = exporter.deliver(batch);
            if (first instanceof RetryLater r && r.cause() == RetryLater.Cause.REAUTHENTICATE
                    && keeper.renewAfterUnauthorized(used, WAIT)) {
                keeper.current().ifPresent(tokensSeen::add);
                return exporter.deliver(batch);
            }
            return first;
        }

        @Override
        public void close() {
            keeper.close();
            exporter.close();
        }
    }

    static SensorBatch batch(String sensorId, String type, double value) {
        return new SensorBatch(T, List.of(new Reading(sensorId, type, "tank", value, null, T, Map.of())));
    }

    @Test
    void firstStartRegistersAndDelivers() throws Exception {
        collector.delayNext(1, Duration.ofMillis(300));
        Agent agent = new Agent(Optional.empty());

        agent.keeper.start();
        Delivery early = agent.send(batch("f1", "FloatSensor", 1.0));
        boolean registered = agent.keeper.renewAfterUnauthorized(Optional.empty(), WAIT);
        Delivery later = agent.send(batch("f1", "FloatSensor", 2.0));

        assertThat(early).isEqualTo(new RetryLater(RetryLater.Cause.NOT_REGISTERED, 0,
                "not registered with the collector yet", Optional.empty()));
        assertThat(registered).isTrue();
        assertThat(later).isEqualTo(new Delivered(201));
        assertThat(collector.registrations()).isEqualTo(1);
        assertThat(collector.requests()).extracting(TestCollector.RecordedRequest::path).containsExactly("/devices", "/metrics");
        assertThat(collector.metrics()).containsExactly(new StoredMetric("f1", "FloatSensor: tank", 2.0, T, "pi-1"));
        Path file = data.resolve("token");
        assertThat(Files.readString(file)).isEqualTo(agent.keeper.current().orElseThrow().reveal() + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void restartReusesTheStoredToken() {
        Agent first = new Agent(Optional.empty());
        first.keeper.start();
        assertThat(first.keeper.renewAfterUnauthorized(Optional.empty(), WAIT)).isTrue();
        first.close();

        Agent second = new Agent(Optional.empty());
        second.keeper.start();

        assertThat(second.send(batch("f1", "FloatSensor", 1.0))).isEqualTo(new Delivered(201));
        assertThat(collector.registrations()).isEqualTo(1);
        assertThat(collector.requests("/devices")).hasSize(1);
    }

    @Test
    void expiredTokenLeadsToOneRegistrationAndNoLostOrDoubledBatch() {
        Agent agent = new Agent(Optional.empty());
        agent.keeper.start();
        assertThat(agent.keeper.renewAfterUnauthorized(Optional.empty(), WAIT)).isTrue();
        Secret old = agent.keeper.current().orElseThrow();
        assertThat(agent.send(batch("f1", "FloatSensor", 1.0))).isEqualTo(new Delivered(201));
        collector.expireAllTokens();

        Delivery d = agent.send(batch("f1", "FloatSensor", 2.0));

        assertThat(d).isEqualTo(new Delivered(201));
        assertThat(collector.registrations()).isEqualTo(2);
        assertThat(collector.requests("/devices").get(1).header("X-API-KEY")).contains(old.reveal());
        assertThat(collector.metrics()).extracting(StoredMetric::value).containsExactly(1.0, 2.0);
        assertThat(collector.devices()).hasSize(1);
    }

    @Test
    void twentyConcurrent401sCauseOneRegistration() throws Exception {
        Agent agent = new Agent(Optional.empty());
        agent.keeper.start();
        assertThat(agent.keeper.renewAfterUnauthorized(Optional.empty(), WAIT)).isTrue();
        collector.expireAllTokens();
        ExecutorService senders = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Delivery>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                double value = i;
                results.add(senders.submit(() -> {
                    go.await();
                    return agent.send(batch("f1", "FloatSensor", value));
                }));
            }
            go.countDown();
            for (Future<Delivery> r : results) {
                assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo(new Delivered(201));
            }
        } finally {
            senders.shutdownNow();
        }

        assertThat(collector.registrations()).isEqualTo(2);
        assertThat(collector.requests("/devices")).hasSize(2);
        assertThat(collector.metrics()).extracting(StoredMetric::value).containsExactlyInAnyOrder(
                0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0);
    }

    @Test
    void unknownTypeIsRejectedAndNotResent() {
        Agent agent = new Agent(Optional.empty());
        agent.keeper.start();
        assertThat(agent.keeper.renewAfterUnauthorized(Optional.empty(), WAIT)).isTrue();
        SensorBatch mixed = new SensorBatch(T, List.of(
                new Reading("f1", "FloatSensor", "tank", 1.0, null, T, Map.of()),
                new Reading("p1", "PressureSensor", "main line", 2.4, "bar", T, Map.of())));

        Delivery d = agent.send(mixed);

        assertThat(d).isEqualTo(new Rejected(422, "Unknown sensor type: PressureSensor", Set.of("PressureSensor")));
        assertThat(collector.requests("/metrics")).hasSize(1);
        assertThat(collector.metrics()).isEmpty();
        SensorBatch known = new SensorBatch(T, mixed.readings().stream().filter(r -> !r.type().equals("PressureSensor")).toList());
        assertThat(agent.send(known)).isEqualTo(new Delivered(201));
    }

    @Test
    void registrationSurvivesServerErrorsAndGarbage() {
        collector.answerHtmlNext(1, 502);
        Agent agent = new Agent(Optional.empty());

        agent.keeper.start();

        assertThat(agent.keeper.renewAfterUnauthorized(Optional.empty(), WAIT)).isTrue();
        assertThat(collector.requests("/devices")).extracting(TestCollector.RecordedRequest::answered).containsExactly(502, 201);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).anyMatch(m -> m.startsWith(
                "registration of device 'pi-1' failed (attempt 1, status 502): /devices answered 502: <html>"));
    }

    @Test
    void closeStopsARegistrationStartedBy401WithinASecond() throws Exception {
        Agent agent = new Agent(Optional.of(Secret.of("not-known-to-the-collector")));
        assertThat(agent.exporter.deliver(batch("f1", "FloatSensor", 1.0)))
                .isEqualTo(new RetryLater(RetryLater.Cause.REAUTHENTICATE, 401,
                        "/metrics answered 401: Invalid authentication token", Optional.empty()));
        collector.delayNext(1, Duration.ofSeconds(5));
        Thread sender = Thread.ofPlatform().start(() -> agent.keeper.renewAfterUnauthorized(
                Optional.of(Secret.of("not-known-to-the-collector")), Duration.ofMinutes(1)));
        while (collector.requests("/devices").isEmpty()) {
            Thread.sleep(5);
        }

        long start = System.nanoTime();
        agent.close();
        sender.join(1000);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(sender.isAlive()).isFalse();
    }

    /** The agent's side of the SPI, as the cli will give it. */
    record Context(String url, TokenSource tokens) implements ExporterContext {
        @Override
        public PluginConfig settings() {
            return new MapConfig("", "SENSOR_READER_", Map.of("COLLECTOR_HOST", url,
                    "HTTP_CONNECT_TIMEOUT", "1s", "HTTP_REQUEST_TIMEOUT", "2s"));
        }

        @Override
        public String deviceId() {
            return "pi-1";
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public String agentVersion() {
            return "test";
        }
    }
}
