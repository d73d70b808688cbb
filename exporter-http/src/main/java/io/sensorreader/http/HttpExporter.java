package io.sensorreader.http;

import io.sensorreader.api.Batch;
import io.sensorreader.api.Delivered;
import io.sensorreader.api.Delivery;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.Registrar;
import io.sensorreader.api.Rejected;
import io.sensorreader.api.RetryLater;
import io.sensorreader.api.Secret;
import io.sensorreader.api.TokenSource;
import io.sensorreader.http.CollectorClient.Response;
import io.sensorreader.http.CollectorClient.Response.Answered;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends batches to the collector and maps every answer to a {@link Delivery}, as the last table
 * of the collector contract says. One attempt per call, no retries here: the agent decides.
 */
final class HttpExporter implements Exporter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpExporter.class);
    /** The collector's text for a type it does not know; the type is everything after it. */
    static final String UNKNOWN_TYPE = "Unknown sensor type: ";

    private final CollectorClient client;
    private final TokenSource tokens;
    private final AnswerReader reader;
    private final LogThrottle throttle;
    private final CollectorRegistrar registrar;

    HttpExporter(CollectorClient client, TokenSource tokens, Clock clock) {
        this.client = client;
        this.tokens = tokens;
        this.reader = new AnswerReader(clock);
        this.throttle = new LogThrottle(clock, Duration.ofMinutes(1));
        this.registrar = new CollectorRegistrar(client, reader);
    }

    @Override
    public Delivery deliver(Batch batch) {
        String path = path(batch.kind());
        Optional<Secret> token = tokens.current();
        if (token.isEmpty()) {
            return new RetryLater(RetryLater.Cause.NOT_REGISTERED, 0, "not registered with the collector yet", Optional.empty());
        }
        Response response = client.post(path, batch.toJson(), token);
        return switch (response) {
            case Response.NoAnswer none -> {
                LOG.debug("{}", none.detail());
                yield RetryLater.transientFailure(none.detail());
            }
            case Response.BadToken bad -> new RetryLater(RetryLater.Cause.REAUTHENTICATE, 0, bad.detail(), Optional.empty());
            case Answered answer -> outcome(path, answer);
        };
    }

    /** The collector's path for each kind of batch (collector-api.md). */
    static String path(Batch.Kind kind) {
        return switch (kind) {
            case SENSOR_BATCH -> "/metrics";
            case DEVICE_STATUS -> "/devices/status";
        };
    }

    private Delivery outcome(String path, Answered answer) {
        int status = answer.status();
        if (status == 201) {
            if (answer.truncated()) {
                // The collector took the batch; resending it would store it twice.
                long held = throttle.admit("long-201");
                if (held >= 0) {
                    LOG.warn("{} answered 201 with a body over {} KiB; counted as delivered, the rest of the body not read{}",
                            path, CollectorClient.BODY_LIMIT / 1024, LogThrottle.heldBack(held));
                }
                return new Delivered(201);
            }
            if (reader.object(answer).isPresent()) {
                return new Delivered(201);
            }
            // The collector always answers 201 with JSON; anything else is not the collector's word.
            return garbage(path, answer, "201 without the collector's JSON");
        }
        if (status == 401) {
            String why = reader.error(answer).orElse("unauthorized");
            return new RetryLater(RetryLater.Cause.REAUTHENTICATE, 401, path + " answered 401: " + why, Optional.empty());
        }
        if (status == 400 || status == 422) {
            Optional<String> error = reader.error(answer);
            if (error.isEmpty()) {
                // A proxy's error page, not the collector judging the batch: keep the batch.
                return garbage(path, answer, status + " without the collector's {\"error\": ...}");
            }
            return new Rejected(status, error.get(), unknownType(error.get()).map(Set::of).orElse(Set.of()));
        }
        if (status == 404 || status == 405) {
            String detail = path + " answered " + status + ": the collector URL looks wrong; check SENSOR_READER_COLLECTOR_HOST ("
                    + client.endpoint() + "); batches are kept";
            long held = throttle.admit("misdirected");
            if (held >= 0) {
                LOG.error("{}{}", detail, LogThrottle.heldBack(held));
            }
            return new RetryLater(RetryLater.Cause.MISDIRECTED, status, detail, Optional.empty());
        }
        if (status >= 200 && status < 300) {
            return garbage(path, answer, status + " instead of 201");
        }
        String detail = path + " answered " + status + ": " + answer.firstBytes();
        if (status < 500 && status != 408 && status != 429) {
            return garbage(path, answer, "unexpected status " + status);
        }
        LOG.debug("{}", detail);
        return new RetryLater(RetryLater.Cause.TRANSIENT, status, detail, reader.retryAfter(answer));
    }

    private Delivery garbage(String path, Answered answer, String what) {
        String detail = path + " answered " + what + "; batch kept: " + answer.firstBytes();
        long held = throttle.admit("garbage");
        if (held >= 0) {
            LOG.warn("{}{}", detail, LogThrottle.heldBack(held));
        }
        return new RetryLater(RetryLater.Cause.TRANSIENT, answer.status(), detail, reader.retryAfter(answer));
    }

    /** {@code Unknown sensor type: X} names X; the type may itself hold colons, so all of the rest is X. */
    static Optional<String> unknownType(String error) {
        if (!error.startsWith(UNKNOWN_TYPE)) {
            return Optional.empty();
        }
        String type = error.substring(UNKNOWN_TYPE.length()).strip();
        return type.isEmpty() ? Optional.empty() : Optional.of(type);
    }

    @Override
    public Optional<Registrar> registrar() {
        return Optional.of(registrar);
    }

    @Override
    public String destination() {
        return client.endpoint().toString();
    }

    @Override
    public void close() {
        client.close();
    }
}
