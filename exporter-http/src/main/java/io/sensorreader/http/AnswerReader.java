package io.sensorreader.http;

import io.sensorreader.http.CollectorClient.Response.Answered;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/** Reads what the collector says in an answer: its JSON, its {@code {"error": ...}}, its Retry-After. */
final class AnswerReader {

    /** The longest wait a {@code Retry-After} can ask for; anything beyond (or unreadably large) is this. */
    static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    private final Clock clock;

    AnswerReader(Clock clock) {
        this.clock = clock;
    }

    /** The body as a JSON object; empty when it is anything else (HTML, garbage, an array, cut short). */
    Optional<Map<String, Object>> object(Answered answer) {
        return answer.truncated() ? Optional.empty() : AnswerJson.object(answer.body());
    }

    /**
     * The collector's error text: {@code {"error": "<text>"}}, scrubbed of secrets; empty when the
     * body is not that.
     */
    Optional<String> error(Answered answer) {
        return object(answer).flatMap(o -> AnswerJson.text(o, "error")).map(t -> Scrubber.scrub(t, answer.sent()));
    }

    /**
     * {@code Retry-After} as delta-seconds or an HTTP date, from zero to {@link #MAX_RETRY_AFTER}:
     * a negative value or a date in the past is zero, a huge or overflowing one the maximum. Empty
     * when absent or unreadable.
     */
    Optional<Duration> retryAfter(Answered answer) {
        Optional<String> header = answer.header("Retry-After").map(String::strip);
        if (header.isEmpty() || header.get().isEmpty()) {
            return Optional.empty();
        }
        String value = header.get();
        Optional<Duration> seconds = deltaSeconds(value);
        if (seconds.isPresent()) {
            return seconds;
        }
        if (value.length() > 64) {
            return Optional.empty();
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            return Optional.of(clamp(Duration.between(clock.instant(), at.toInstant())));
        } catch (DateTimeParseException | ArithmeticException notDate) {
            return Optional.empty();
        }
    }

    /** {@code 120}, {@code -5}, {@code +7}, {@code 99999999999999999999}: digits with an optional sign. */
    private static Optional<Duration> deltaSeconds(String value) {
        int start = value.charAt(0) == '-' || value.charAt(0) == '+' ? 1 : 0;
        if (start == value.length()) {
            return Optional.empty();
        }
        for (int i = start; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        if (value.charAt(0) == '-') {
            return Optional.of(Duration.ZERO);
        }
        String digits = value.substring(start).replaceFirst("^0+(?=.)", "");
        if (digits.length() > 12) {
            return Optional.of(MAX_RETRY_AFTER);
        }
        return Optional.of(clamp(Duration.ofSeconds(Long.parseLong(digits))));
    }

    private static Duration clamp(Duration d) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }
}
