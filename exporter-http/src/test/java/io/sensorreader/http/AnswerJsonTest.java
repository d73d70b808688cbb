package io.sensorreader.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnswerJsonTest {

    static Optional<Map<String, Object>> parse(String text) {
        return AnswerJson.object(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsARegistrationAnswer() {
        Map<String, Object> o = parse(" {\"message\": \"Device registered successfully\",\n"
                + " \"device\": {\"id\": 17, \"external_id\": \"pi\\u002d1\"}, \"token\": \"ab\\\"c\", \"ok\": [true, false, null, -2.5e3]} ").orElseThrow();

        assertThat(o.get("message")).isEqualTo("Device registered successfully");
        assertThat(o.get("device")).isEqualTo(Map.of("id", new AnswerJson.Num("17"), "external_id", "pi-1"));
        assertThat(o.get("token")).isEqualTo("ab\"c");
        assertThat((List<Object>) o.get("ok")).containsExactly(true, false, null, new AnswerJson.Num("-2.5e3"));
    }

    @Test
    void refusesWhatIsNotOneJsonObject() {
        for (String text : List.of("", "[]", "\"x\"", "{", "{\"a\":1", "{\"a\":1}x", "{\"a\":1,}", "{a:1}", "{\"a\":01}",
                "{\"a\":tru}", "{\"a\":\"\u0001\"}", "{\"a\":\"\\x\"}", "<html>{}</html>", "{\"a\":1}{\"b\":2}", "{\"a\":-}",
                "{\"a\":1.}", "{\"a\":\"\\u12\"}")) {
            assertThat(parse(text)).as(text).isEmpty();
        }
    }

    @Test
    void deepNestingIsRefusedWithoutOverflowingTheStack() {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        assertThat(parse(deep)).isEmpty();
        assertThat(parse("{\"a\":" + "[".repeat(10) + "]".repeat(10) + "}")).isPresent();
    }

    @Test
    void textReadsOnlyStrings() {
        Map<String, Object> o = parse("{\"error\": \"Token expired\", \"n\": 1}").orElseThrow();

        assertThat(AnswerJson.text(o, "error")).contains("Token expired");
        assertThat(AnswerJson.text(o, "n")).isEmpty();
        assertThat(AnswerJson.text(o, "missing")).isEmpty();
    }
}
