package io.sensorreader.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorreader.http.CollectorClient.Response.Answered;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads what the collector says in an answer: its JSON, its {@code {"error": ...}}, its Retry-After. */
final class AnswerReader {

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;

    AnswerReader(Clock clock) {
        this.clock = clock;
    }

    /** The body as a JSON object; empty when it is anything else (HTML, garbage, an array). */
    Optional<JsonNode> object(Answered answer) {
        try {
            JsonNode node = json.readTree(answer.body());
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The collector's error text: {@code {"error": "<text>"}}; empty when the body is not that. */
    Optional<String> error(Answered answer) {
        return object(answer).map(o -> o.get("error")).filter(JsonNode::isTextual).map(JsonNode::asText);
    }

    /** {@code Retry-After} in seconds or as an HTTP date; never negative; empty when absent or unreadable. */
    Optional<Duration> retryAfter(Answered answer) {
        Optional<String> header = answer.headers().firstValue("Retry-After").map(String::strip);
        if (header.isEmpty() || header.get().isEmpty()) {
            return Optional.empty();
        }
        String value = header.get();
        try {
            long seconds = Long.parseLong(value);
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
