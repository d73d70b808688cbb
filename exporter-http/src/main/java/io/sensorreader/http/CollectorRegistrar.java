package io.sensorreader.http;

import io.sensorreader.api.Registrar;
import io.sensorreader.api.Registration;
import io.sensorreader.api.Secret;
import io.sensorreader.api.agent.WireFormat;
import io.sensorreader.http.CollectorClient.Response;
import io.sensorreader.http.CollectorClient.Response.Answered;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /devices}: registers the device or renews its token. Stateless; the agent's token
 * keeper decides when. The previous token, when there is one, goes in {@code X-API-KEY} so that the
 * collector renews that device's token even after it expired.
 */
final class CollectorRegistrar implements Registrar {

    static final String PATH = "/devices";

    private final CollectorClient client;
    private final AnswerReader reader;

    CollectorRegistrar(CollectorClient client, AnswerReader reader) {
        this.client = client;
        this.reader = reader;
    }

    @Override
    public Registration register(String deviceId, String description, Optional<Secret> previous) {
        Response response = client.post(PATH, body(deviceId, description), previous);
        return switch (response) {
            case Response.NoAnswer none -> new Registration.Failed(0, none.detail(), false);
            // An old token that cannot be a header: register by device id instead.
            case Response.BadToken bad -> register(deviceId, description, Optional.empty());
            case Answered answer -> outcome(answer);
        };
    }

    private Registration outcome(Answered answer) {
        int status = answer.status();
        if (status == 201) {
            Optional<Map<String, Object>> body = reader.object(answer);
            Optional<String> token = body.flatMap(b -> AnswerJson.text(b, "token")).filter(CollectorRegistrar::sendable);
            if (token.isEmpty()) {
                // Never echo a 2xx body: it may hold a token.
                return new Registration.Failed(201, PATH + " answered 201 without a usable token ("
                        + size(answer) + ")", false);
            }
            Object collectorId = body.get().get("device") instanceof Map<?, ?> device ? device.get("id") : null;
            return new Registration.Registered(Secret.of(token.get()), collectorId == null ? "" : collectorId.toString());
        }
        if (status == 422) {
            String why = reader.error(answer).orElse(answer.firstBytes());
            return new Registration.Failed(422, PATH + " answered 422: " + why, true);
        }
        String why = status >= 200 && status < 300
                ? size(answer)
                : reader.error(answer).orElse(answer.firstBytes());
        String hint = status == 404 || status == 405 ? " (is SENSOR_READER_COLLECTOR_HOST right? " + client.endpoint() + ")" : "";
        return new Registration.Failed(status, PATH + " answered " + status + ": " + why + hint, false);
    }

    private static String size(Answered answer) {
        return answer.truncated() ? "over " + CollectorClient.BODY_LIMIT / 1024 + " KiB" : answer.body().length + " bytes";
    }

    /** A token must fit in a header: visible ASCII only. */
    private static boolean sendable(String token) {
        return !token.isBlank() && token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    /** {@code {"id": "...", "description": "..."}}, the bytes sensor-api defines for every request. */
    static String body(String deviceId, String description) {
        return WireFormat.registration(deviceId, description);
    }
}
