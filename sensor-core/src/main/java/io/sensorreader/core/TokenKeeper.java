package io.sensorreader.core;

import io.sensorreader.api.Registrar;
import io.sensorreader.api.Registration;
import io.sensorreader.api.Secret;
import io.sensorreader.api.TokenSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's collector token through its life: read at start (the {@code SENSOR_READER_TOKEN}
 * setting wins over the token file), registered in the background when there is none, renewed
 * once for all senders that see a 401, kept in {@code <data dir>/token} (mode 0600, written
 * atomically) so that a restart does not register again.
 *
 * <p>Threads: {@link #current()} is a volatile read, safe and cheap from any thread. Registration
 * runs on one background thread at a time ({@code token-keeper}); failures are retried with
 * exponential backoff and jitter from 1 s to 60 s, and every 60 s after a configuration error (a
 * 422, which cannot heal by itself but may once the collector or the settings change). Callers of
 * {@link #renewAfterUnauthorized} wait for that thread at most their {@code maxWait}; it carries on
 * without them. {@link #close()} stops it within a second, also in the middle of a request or a
 * backoff.
 *
 * <p>The token never reaches a log line or a message: only {@link Secret#fingerprint()} does.
 */
public final class TokenKeeper implements TokenSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenKeeper.class);

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    static final Duration LOG_INTERVAL = Duration.ofMinutes(1);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** Waits between attempts; interruptible, replaceable in tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Path tokenFile;
    private final Optional<Secret> configured;
    private final Registrar registrar;
    private final String deviceId;
    private final String description;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    private volatile Optional<Secret> current;
    private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private final Object lock = new Object();
    private CompletableFuture<Boolean> inFlight; // guarded by lock
    private Thread worker; // guarded by lock

    private Instant lastFailureLog = Instant.MIN; // worker thread only
    private long failuresNotLogged; // worker thread only

    /**
     * Reads the token file (when no token is configured). Starts nothing: see {@link #start()}.
     *
     * @param tokenFile {@code <data dir>/token}
     * @param configured the {@code SENSOR_READER_TOKEN} setting, which wins over the file
     * @param registrar the exporter's registration request
     * @param deviceId {@code SENSOR_READER_DEVICE_ID}
     * @param description {@code SENSOR_READER_DESCRIPTION}
     * @param clock for rate-limiting the log
     */
    public TokenKeeper(Path tokenFile, Optional<Secret> configured, Registrar registrar,
                       String deviceId, String description, Clock clock) {
        this(tokenFile, configured, registrar, deviceId, description, clock, Thread::sleep,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    TokenKeeper(Path tokenFile, Optional<Secret> configured, Registrar registrar, String deviceId,
                String description, Clock clock, Sleeper sleeper, DoubleSupplier random) {
        this.tokenFile = tokenFile;
        this.configured = configured;
        this.registrar = registrar;
        this.deviceId = deviceId;
        this.description = description;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        Optional<Secret> stored = read(tokenFile);
        if (configured.isPresent()) {
            if (stored.isPresent() && !stored.equals(configured)) {
                LOG.info("SENSOR_READER_TOKEN (fingerprint {}) wins over the token stored in {} (fingerprint {})",
                        configured.get().fingerprint(), tokenFile, stored.get().fingerprint());
            }
            this.current = configured;
        } else {
            this.current = stored;
        }
    }

    /** The token to send, or empty while the device is not registered. */
    @Override
    public Optional<Secret> current() {
        return current;
    }

    /** The current token's fingerprint, safe to log and show. */
    public Optional<String> fingerprint() {
        return current.map(Secret::fingerprint);
    }

    /** Without a token, starts registering in the background (with backoff); with one, does nothing. */
    public void start() {
        synchronized (lock) {
            if (!closed && current.isEmpty()) {
                renewal(Optional.empty());
            }
        }
    }

    /**
     * Called by a sender whose request with {@code rejected} got a 401. All concurrent callers that
     * saw the same token share one registration, which sends {@code rejected} so the collector
     * renews this device's token.
     *
     * @param maxWait how long this caller waits; the registration goes on after that, with backoff
     * @return true when a token other than {@code rejected} is current (resend once with it);
     *     false when none came within {@code maxWait}, or at shutdown
     */
    public boolean renewAfterUnauthorized(Optional<Secret> rejected, Duration maxWait) {
        CompletableFuture<Boolean> renewal;
        synchronized (lock) {
            if (closed) {
                return false;
            }
            Optional<Secret> now = current;
            if (now.isPresent() && !now.equals(rejected)) {
                return true;
            }
            renewal = renewal(rejected.or(() -> now));
        }
        try {
            return renewal.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Registers once, now, on the calling thread: for the {@code register} command. Sends the current
     * token, if any, so the collector renews it. Stores the new token.
     *
     * @param force register even when a token is already held; without it, a held token is
     *     returned as it is (with an empty collector id) and nothing is sent
     */
    public Registration registerNow(boolean force) {
        Optional<Secret> held = current;
        if (!force && held.isPresent()) {
            return new Registration.Registered(held.get(), "");
        }
        Registration outcome = registrar.register(deviceId, description, held);
        if (outcome instanceof Registration.Registered registered) {
            adopt(registered, held);
        }
        return outcome;
    }

    /** Stops background registration within a second; waiters get false. Idempotent. */
    @Override
    public void close() {
        Thread running;
        CompletableFuture<Boolean> waiting;
        synchronized (lock) {
            closed = true;
            running = worker;
            waiting = inFlight;
        }
        if (waiting != null) {
            waiting.complete(false);
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(900);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The registration in flight, or a new one. Caller holds {@link #lock}. */
    private CompletableFuture<Boolean> renewal(Optional<Secret> previous) {
        if (inFlight != null) {
            return inFlight;
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        inFlight = result;
        worker = Thread.ofPlatform().daemon().name("token-keeper").unstarted(() -> {
            try {
                result.complete(registerUntilDone(previous));
            } catch (OutOfMemoryError e) {
                result.complete(false);
                throw io.sensorreader.core.delivery.Fatal.outOfMemory("registering", e);
            } catch (Throwable e) {
                // No throwable ends registration for good: the next 401 (or the next start) tries again.
                LOG.error("registration stopped by an unexpected error; the next 401 tries again", e);
                result.complete(false);
            } finally {
                synchronized (lock) {
                    if (inFlight == result) {
                        inFlight = null;
                        worker = null;
                    }
                }
            }
        });
        worker.start();
        return result;
    }

    private boolean registerUntilDone(Optional<Secret> previous) {
        for (int attempt = 1; !closed; attempt++) {
            Registration outcome = registrar.register(deviceId, description, previous);
            switch (outcome) {
                case Registration.Registered registered -> {
                    // Stored even while closing: the collector has already retired the old token.
                    adopt(registered, previous);
                    return true;
                }
                case Registration.Failed failed -> {
                    if (closed) {
                        return false;
                    }
                    Duration wait = failed.permanent() ? MAX_BACKOFF : backoff(attempt);
                    logFailure(failed, attempt, wait);
                    try {
                        sleeper.sleep(wait);
                    } catch (InterruptedException e) {
                        return false;
                    }
                }
            }
        }
        return false;
    }

    /** 1 s, 2 s, 4 s ... up to 60 s, each times a random factor in [0.5, 1.5), kept within 1 s to 60 s. */
    Duration backoff(int attempt) {
        long base = FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 6);
        long jittered = Math.round(base * (0.5 + random.getAsDouble()));
        return Duration.ofMillis(Math.clamp(jittered, FIRST_BACKOFF.toMillis(), MAX_BACKOFF.toMillis()));
    }

    private void logFailure(Registration.Failed failed, int attempt, Duration wait) {
        Instant now = clock.instant();
        if (now.isBefore(lastFailureLog.plus(LOG_INTERVAL)) && attempt > 1) {
            failuresNotLogged++;
            return;
        }
        String held = failuresNotLogged > 0 ? " (" + failuresNotLogged + " failures not logged since the last line)" : "";
        lastFailureLog = now;
        failuresNotLogged = 0;
        String status = failed.status() == 0 ? "no answer" : "status " + failed.status();
        if (failed.permanent()) {
            LOG.error("registration of device '{}' refused ({}): {}. This is a configuration error: check "
                            + "SENSOR_READER_DEVICE_ID and SENSOR_READER_DESCRIPTION (neither may be blank); trying again every {} s{}",
                    deviceId, status, failed.reason(), MAX_BACKOFF.toSeconds(), held);
        } else {
            LOG.warn("registration of device '{}' failed (attempt {}, {}): {}; next try in {} s{}",
                    deviceId, attempt, status, failed.reason(), String.format("%.1f", wait.toMillis() / 1000.0), held);
        }
    }

    private void adopt(Registration.Registered registered, Optional<Secret> previous) {
        Secret token = registered.token();
        // Stored and logged before it becomes current, so that whoever sees it can also find it on disk.
        boolean saved = write(token);
        String where = saved ? "stored in " + tokenFile : "kept in memory only (a restart registers again)";
        String collectorId = registered.collectorId().isEmpty() ? "" : " (collector id " + registered.collectorId() + ")";
        if (previous.isPresent()) {
            LOG.info("renewed the token of device '{}'{}: fingerprint {}, {}", deviceId, collectorId, token.fingerprint(), where);
        } else {
            LOG.info("registered device '{}' with the collector{}: token fingerprint {}, {}", deviceId, collectorId,
                    token.fingerprint(), where);
        }
        if (configured.isPresent() && previous.equals(configured)) {
            LOG.warn("SENSOR_READER_TOKEN (fingerprint {}) is stale: the collector refused it. The new token is {}; "
                    + "remove SENSOR_READER_TOKEN, or every start will register again", configured.get().fingerprint(), where);
        }
        current = Optional.of(token);
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("a token listener failed: {}", e.toString());
            }
        }
    }

    /**
     * Runs {@code listener} (on the registering thread) each time a new token becomes current, e.g.
     * to deliver at once what waited in the spool for the first token.
     */
    public void onNewToken(Runnable listener) {
        listeners.add(listener);
    }

    private boolean write(Secret token) {
        try {
            store(tokenFile, token);
            return true;
        } catch (IOException e) {
            LOG.error("cannot store the token in {}: {}; check that the data folder is writable",
                    tokenFile.toAbsolutePath(), e.toString());
            return false;
        }
    }

    /**
     * Writes a token file as the agent keeps it: mode 0600, replaced atomically, on disk when this
     * returns (also used by {@code migrate} to keep the Python agent's token).
     *
     * @param tokenFile {@code <data dir>/token}
     * @throws IOException when the folder is not writable; no partial file is left
     */
    public static void store(Path tokenFile, Secret token) throws IOException {
        Path target = tokenFile.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            try {
                tmp = Files.createTempFile(target.getParent(), ".token-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (UnsupportedOperationException notPosix) {
                tmp = Files.createTempFile(target.getParent(), ".token-", ".tmp");
            }
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap((token.reveal() + "\n").getBytes(StandardCharsets.UTF_8)));
                out.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the caller reports the first failure
                }
            }
        }
    }

    private static Optional<Secret> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                LOG.warn("token file {} is empty; registering again", file);
                return Optional.empty();
            }
            tighten(file);
            return Optional.of(Secret.of(text));
        } catch (IOException e) {
            LOG.warn("cannot read token file {}: {}; registering again", file, e.toString());
            return Optional.empty();
        }
    }

    private static void tighten(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
                LOG.warn("token file {} was readable by others ({}); set it to rw-------",
                        file, PosixFilePermissions.toString(perms));
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system, or not ours to change: reading it is all that matters here
        }
    }
}
