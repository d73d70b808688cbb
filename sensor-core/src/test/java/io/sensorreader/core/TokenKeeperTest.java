package io.sensorreader.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sensorreader.api.Registrar;
import io.sensorreader.api.Registration;
import io.sensorreader.api.Registration.Failed;
import io.sensorreader.api.Registration.Registered;
import io.sensorreader.api.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class TokenKeeperTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    Path file;
    final FakeRegistrar registrar = new FakeRegistrar();
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(TokenKeeper.class);
    final List<TokenKeeper> keepers = new ArrayList<>();

    @BeforeEach
    void capture() {
        file = dir.resolve("data").resolve("token");
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        keepers.forEach(TokenKeeper::close);
        logger.detachAppender(log);
        // The token never reaches a log line, whatever the test did.
        for (ILoggingEvent e : log.list) {
            for (String token : registrar.issued) {
                assertThat(e.getFormattedMessage()).doesNotContain(token);
            }
            assertThat(e.getFormattedMessage()).doesNotContain("configured-token");
        }
    }

    TokenKeeper keeper(Optional<Secret> configured) {
        TokenKeeper k = new TokenKeeper(file, configured, registrar, "pi-1", "Pump house", CLOCK,
                d -> sleeps.add(d), () -> 0.5);
        keepers.add(k);
        return k;
    }

    List<String> messages() {
        return log.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    @Test
    void registersInTheBackgroundAtStartAndStoresTheTokenOwnerOnly() throws Exception {
        TokenKeeper keeper = keeper(Optional.empty());
        assertThat(keeper.current()).isEmpty();

        keeper.start();

        assertThat(keeper.renewAfterUnauthorized(Optional.empty(), WAIT)).isTrue();
        assertThat(keeper.current()).contains(Secret.of("token-1"));
        assertThat(Files.readString(file)).isEqualTo("token-1\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(registrar.calls).containsExactly("pi-1|Pump house|-");
        assertThat(messages()).containsExactly("INFO registered device 'pi-1' with the collector (collector id 17): "
                + "token fingerprint " + Secret.of("token-1").fingerprint() + ", stored in " + file.toAbsolutePath());
        assertThat(dir.resolve("data")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void tellsItsListenersOnceTheFirstTokenIsCurrent() throws Exception {
        TokenKeeper keeper = keeper(Optional.empty());
        java.util.concurrent.CountDownLatch told = new java.util.concurrent.CountDownLatch(1);
        List<Optional<Secret>> seen = new CopyOnWriteArrayList<>();
        keeper.onNewToken(() -> {
            seen.add(keeper.current());
            told.countDown();
        });

        keeper.start();

        assertThat(told.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly(Optional.of(Secret.of("token-1")));
    }

    @Test
    void restartReadsTheStoredTokenAndDoesNotRegister() throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "stored-token\n");

        TokenKeeper keeper = keeper(Optional.empty());
        keeper.start();

        assertThat(keeper.current()).contains(Secret.of("stored-token"));
        assertThat(keeper.fingerprint()).contains(Secret.of("stored-token").fingerprint());
        keeper.close();
        assertThat(registrar.calls).isEmpty();
    }

    @Test
    void configuredTokenWinsOverTheFile() throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "stored-token\n");

        TokenKeeper keeper = keeper(Optional.of(Secret.of("configured-token")));

        assertThat(keeper.current()).contains(Secret.of("configured-token"));
    }

    @Test
    void retriesWithExponentialBackoffUntilRegistered() {
        registrar.script(new Failed(503, "/devices answered 503: Internal server error", false),
                new Failed(0, "/devices: connection to collector:3000 refused or unreachable", false),
                new Failed(500, "/devices answered 500: Internal server error", false));
        TokenKeeper keeper = keeper(Optional.empty());

        keeper.start();

        assertThat(keeper.renewAfterUnauthorized(Optional.empty(), WAIT)).isTrue();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(registrar.calls).hasSize(4);
        // The clock stands still, so only the first failure is logged; the next line counts the rest.
        assertThat(messages().get(0)).isEqualTo("WARN registration of device 'pi-1' failed (attempt 1, status 503): "
                + "/devices answered 503: Internal server error; next try in 1.0 s");
        assertThat(messages()).hasSize(2);
    }

    @Test
    void backoffGrowsToSixtySecondsWithJitter() {
        TokenKeeper keeper = keeper(Optional.empty());
        List<Long> seconds = new ArrayList<>();
        for (int attempt = 1; attempt <= 9; attempt++) {
            seconds.add(keeper.backoff(attempt).toSeconds());
        }
        assertThat(seconds).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
        TokenKeeper low = new TokenKeeper(file, Optional.empty(), registrar, "pi-1", "d", CLOCK, d -> { }, () -> 0.0);
        TokenKeeper high = new TokenKeeper(file, Optional.empty(), registrar, "pi-1", "d", CLOCK, d -> { }, () -> 0.999);
        assertThat(low.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(low.backoff(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(high.backoff(4)).isEqualTo(Duration.ofMillis(11992));
        assertThat(high.backoff(7)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void configurationErrorIsSaidClearlyAndRetriedEveryMinute() {
        registrar.script(new Failed(422, "/devices answered 422: External can't be blank", true),
                new Failed(422, "/devices answered 422: External can't be blank", true));
        TokenKeeper keeper = keeper(Optional.empty());

        keeper.start();

        assertThat(keeper.renewAfterUnauthorized(Optional.empty(), WAIT)).isTrue();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(60));
        assertThat(messages().get(0)).isEqualTo("ERROR registration of device 'pi-1' refused (status 422): "
                + "/devices answered 422: External can't be blank. This is a configuration error: check "
                + "SENSOR_READER_DEVICE_ID and SENSOR_READER_DESCRIPTION (neither may be blank); trying again every 60 s");
    }

    @Test
    void twentyConcurrentUnauthorizedSendersCauseOneRegistration() throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "old-token\n");
        registrar.gate = new CountDownLatch(1);
        TokenKeeper keeper = keeper(Optional.empty());
        ExecutorService senders = Executors.newFixedThreadPool(20);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            CountDownLatch ready = new CountDownLatch(20);
            for (int i = 0; i < 20; i++) {
                results.add(senders.submit(() -> {
                    ready.countDown();
                    return keeper.renewAfterUnauthorized(Optional.of(Secret.of("old-token")), WAIT);
                }));
            }
            ready.await(5, TimeUnit.SECONDS);
            Thread.sleep(50);
            registrar.gate.countDown();
            for (Future<Boolean> r : results) {
                assertThat(r.get(5, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            senders.shutdownNow();
        }
        assertThat(registrar.calls).containsExactly("pi-1|Pump house|old-token");
        assertThat(keeper.current()).contains(Secret.of("token-1"));
        // A sender that comes late with the old token resends at once, without registering.
        assertThat(keeper.renewAfterUnauthorized(Optional.of(Secret.of("old-token")), WAIT)).isTrue();
        assertThat(registrar.calls).hasSize(1);
    }

    @Test
    void staleConfiguredTokenIsReplacedStoredAndReported() throws Exception {
        TokenKeeper keeper = keeper(Optional.of(Secret.of("configured-token")));

        assertThat(keeper.renewAfterUnauthorized(Optional.of(Secret.of("configured-token")), WAIT)).isTrue();

        assertThat(registrar.calls).containsExactly("pi-1|Pump house|configured-token");
        assertThat(Files.readString(file)).isEqualTo("token-1\n");
        assertThat(messages()).contains("WARN SENSOR_READER_TOKEN (fingerprint " + Secret.of("configured-token").fingerprint()
                + ") is stale: the collector refused it. The new token is stored in " + file.toAbsolutePath()
                + "; remove SENSOR_READER_TOKEN, or every start will register again");
    }

    @Test
    void closeStopsABackoffWithinASecondAndReleasesWaiters() throws Exception {
        registrar.alwaysFail = true;
        TokenKeeper keeper = new TokenKeeper(file, Optional.of(Secret.of("configured-token")), registrar, "pi-1", "d",
                CLOCK, Thread::sleep, () -> 0.5);
        BlockingQueue<Boolean> answer = new ArrayBlockingQueue<>(1);
        Thread sender = Thread.ofPlatform().start(() -> answer.add(
                keeper.renewAfterUnauthorized(Optional.of(Secret.of("configured-token")), Duration.ofMinutes(5))));
        while (registrar.calls.isEmpty()) {
            Thread.sleep(5);
        }

        long start = System.nanoTime();
        keeper.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(1));
        assertThat(answer.poll(1, TimeUnit.SECONDS)).isFalse();
        sender.join(1000);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("token-keeper"));
        assertThat(keeper.renewAfterUnauthorized(Optional.of(Secret.of("configured-token")), WAIT)).isFalse();
    }

    @Test
    void waiterGivesUpAfterMaxWaitWhileRegistrationGoesOn() {
        registrar.gate = new CountDownLatch(1);
        TokenKeeper keeper = keeper(Optional.empty());
        keeper.start();

        assertThat(keeper.renewAfterUnauthorized(Optional.empty(), Duration.ofMillis(50))).isFalse();

        registrar.gate.countDown();
        assertThat(keeper.renewAfterUnauthorized(Optional.empty(), WAIT)).isTrue();
        assertThat(registrar.calls).hasSize(1);
    }

    @Test
    void registerNowKeepsAHeldTokenUnlessForced() throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "stored-token\n");
        TokenKeeper keeper = keeper(Optional.empty());

        assertThat(keeper.registerNow(false)).isEqualTo(new Registered(Secret.of("stored-token"), ""));
        assertThat(registrar.calls).isEmpty();

        assertThat(keeper.registerNow(true)).isEqualTo(new Registered(Secret.of("token-1"), "17"));
        assertThat(registrar.calls).containsExactly("pi-1|Pump house|stored-token");
        assertThat(Files.readString(file)).isEqualTo("token-1\n");
    }

    @Test
    void registerNowReturnsTheFailureAsItIs() {
        registrar.script(new Failed(422, "/devices answered 422: Description can't be blank", true));
        TokenKeeper keeper = keeper(Optional.empty());

        assertThat(keeper.registerNow(false)).isEqualTo(new Failed(422, "/devices answered 422: Description can't be blank", true));
        assertThat(keeper.current()).isEmpty();
        assertThat(file).doesNotExist();
    }

    @Test
    void tokenFileReadableByOthersIsTightened() throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "stored-token\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        keeper(Optional.empty());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(messages()).containsExactly("WARN token file " + file + " was readable by others (rw-r--r--); set it to rw-------");
    }

    @Test
    void unwritableDataFolderKeepsTheTokenInMemory() throws Exception {
        Files.writeString(dir.resolve("data"), "a file where the folder should be");
        TokenKeeper keeper = keeper(Optional.empty());

        assertThat(keeper.registerNow(true)).isInstanceOf(Registered.class);

        assertThat(keeper.current()).contains(Secret.of("token-1"));
        assertThat(messages()).anyMatch(m -> m.startsWith("ERROR cannot store the token in " + file.toAbsolutePath()));
        assertThat(messages()).anyMatch(m -> m.endsWith("kept in memory only (a restart registers again)"));
    }

    /** Answers from a script, then registers with tokens token-1, token-2, ...; records every call. */
    static final class FakeRegistrar implements Registrar {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<String> issued = new CopyOnWriteArrayList<>();
        private final List<Registration> script = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger tokens = new AtomicInteger();
        volatile CountDownLatch gate;
        volatile boolean alwaysFail;

        void script(Registration... outcomes) {
            script.addAll(List.of(outcomes));
        }

        @Override
        public Registration register(String deviceId, String description, Optional<Secret> previous) {
            calls.add(deviceId + "|" + description + "|" + previous.map(Secret::reveal).orElse("-"));
            try {
                if (gate != null && !gate.await(5, TimeUnit.SECONDS)) {
                    return new Failed(0, "gate never opened", false);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Failed(0, "/devices: interrupted (shutting down)", false);
            }
            if (alwaysFail) {
                return new Failed(503, "/devices answered 503: Internal server error", false);
            }
            synchronized (script) {
                if (!script.isEmpty()) {
                    return script.remove(0);
                }
            }
            String token = "token-" + tokens.incrementAndGet();
            issued.add(token);
            return new Registered(Secret.of(token), "17");
        }
    }
}
