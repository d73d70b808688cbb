package io.sensorreader.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.api.Delivered;
import io.sensorreader.api.Rejected;
import io.sensorreader.api.RetryLater;
import io.sensorreader.api.Secret;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private final Redactor redactor = new Redactor(() -> Optional.of(Secret.of("s3cret-token")), Optional.of(Secret.of(TOKEN)));

    @Test
    void scrubsTheTokensLabelledValuesHexJwtsAndLongBase64() {
        assertThat(redactor.scrub("bad key s3cret-token")).isEqualTo("bad key [redacted]");
        assertThat(redactor.scrub("{\"error\": \"no device for " + TOKEN + "\"}"))
                .isEqualTo("{\"error\": \"no device for [redacted]\"}");
        assertThat(redactor.scrub("X-API-KEY: abc123xyz, next")).isEqualTo("X-API-KEY: [redacted], next");
        assertThat(redactor.scrub("Authorization: Bearer qwertyuiop")).isEqualTo("Authorization: Bearer [redacted]");
        assertThat(redactor.scrub("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_part-1 end")).isEqualTo("jwt [redacted] end");
        assertThat(redactor.scrub("key dGhpcyBpcyBhIHNlY3JldCB0b2tlbiB2YWx1ZSAxMjM0NTY3 end")).isEqualTo("key [redacted] end");
        assertThat(redactor.scrub("(X-API-KEY: [redacted])")).isEqualTo("(X-API-KEY: [redacted])");
    }

    @Test
    void leavesOrdinaryCollectorTextAlone() {
        String text = "/metrics answered 500: {\"error\":\"Internal server error\"}; Unknown sensor type: PressureSensor";
        assertThat(redactor.scrub(text)).isEqualTo(text);
        assertThat(Redactor.SHAPES.scrub(null)).isNull();
    }

    @Test
    void theOutcomeTable() {
        assertThat(OutcomeRules.of(new Delivered(201))).isEqualTo(OutcomeRules.Rule.DELIVERED);
        assertThat(OutcomeRules.of(new Rejected(422, "Unknown sensor type: X", Set.of("X"))))
                .isEqualTo(OutcomeRules.Rule.REFUSED_TYPES);
        assertThat(OutcomeRules.of(new Rejected(400, "Malformed JSON"))).isEqualTo(OutcomeRules.Rule.REJECTED);
        assertThat(OutcomeRules.of(new RetryLater(RetryLater.Cause.TRANSIENT, 500, "x", Optional.empty())))
                .isEqualTo(OutcomeRules.Rule.SERVER_FAULT);
        assertThat(OutcomeRules.of(new RetryLater(RetryLater.Cause.TRANSIENT, 200, "x", Optional.empty())))
                .isEqualTo(OutcomeRules.Rule.SERVER_FAULT);
        for (int status : new int[] {0, 408, 429, 502, 503, 504}) {
            assertThat(OutcomeRules.of(new RetryLater(RetryLater.Cause.TRANSIENT, status, "x", Optional.empty())))
                    .as("%d", status).isEqualTo(OutcomeRules.Rule.OUTAGE);
        }
        assertThat(OutcomeRules.of(new RetryLater(RetryLater.Cause.REAUTHENTICATE, 401, "x", Optional.empty())))
                .isEqualTo(OutcomeRules.Rule.AUTHENTICATION);
        assertThat(OutcomeRules.of(new RetryLater(RetryLater.Cause.MISDIRECTED, 404, "x", Optional.empty())))
                .isEqualTo(OutcomeRules.Rule.MISDIRECTED);
        assertThat(OutcomeRules.of(new RetryLater(RetryLater.Cause.NOT_REGISTERED, 0, "x", Optional.empty())))
                .isEqualTo(OutcomeRules.Rule.NO_TOKEN);
    }
}
