package io.sensorreader.http;

import io.sensorreader.api.Secret;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Takes secrets out of text that came from the server (error bodies, the first bytes of an answer)
 * before it goes into a detail text or a log line: a proxy or a buggy collector may echo the request
 * headers, and a registration answer holds a token. Removed: the {@code X-API-KEY} value that was
 * sent, every run of 64 hex digits (the collector's token shape), and anything shaped like a JWT
 * (three base64url parts, the first starting {@code eyJ}, the encoding of <code>{"</code>).
 */
final class Scrubber {

    static final String MARK = "[redacted]";

    private static final Pattern HEX_64 = Pattern.compile("(?<![0-9A-Fa-f])[0-9A-Fa-f]{64,}(?![0-9A-Fa-f])");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    private Scrubber() {
    }

    /** The text without the token sent, 64-hex tokens or JWTs. */
    static String scrub(String text, Optional<Secret> sent) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        if (sent.isPresent()) {
            String value = sent.get().reveal();
            // A one-character "token" would blank out the whole text; it is no secret worth that.
            if (value.length() >= 4) {
                out = out.replace(value, MARK);
            }
        }
        out = HEX_64.matcher(out).replaceAll(MARK);
        return JWT.matcher(out).replaceAll(MARK);
    }
}
