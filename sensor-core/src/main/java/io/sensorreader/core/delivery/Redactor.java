package io.sensorreader.core.delivery;

import io.sensorreader.api.Secret;
import io.sensorreader.api.TokenSource;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Scrubs text that came from a server (an error body, a detail, a reason) before it reaches a
 * log line, {@code state.json} or a dead letter: a proxy or a buggy collector may echo the
 * request's {@code X-API-KEY}. Removed: the token in use and the configured one, whatever follows
 * an {@code X-API-KEY} or {@code Authorization} label, runs of 32 or more hex digits (the
 * collector's tokens are 64), anything shaped like a JWT, and long base64-like runs that mix
 * letters and digits. Each is replaced by {@value #MARK}.
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String MARK = "[redacted]";

    /** Scrubs shapes only, knowing no token. */
    public static final Redactor SHAPES = new Redactor(Optional::empty, Optional.empty());

    private static final Pattern LABELLED = Pattern.compile(
            "(?i)((?:x-api-key|authorization|api[_-]?key|token)[\"']?\\s*[:=]\\s*[\"']?(?:bearer\\s+)?)(?!\\[redacted\\])[^\\s\"',;}\\]]+");
    private static final Pattern HEX = Pattern.compile("(?<![0-9A-Fa-f])[0-9A-Fa-f]{32,}(?![0-9A-Fa-f])");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final Pattern BASE64ISH = Pattern.compile("(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]*[0-9])"
            + "(?=[A-Za-z0-9+/_-]*[A-Za-z])[A-Za-z0-9+/_-]{40,}={0,2}");

    private final TokenSource tokens;
    private final Optional<Secret> configured;

    /**
     * @param tokens the token being sent as {@code X-API-KEY}
     * @param configured {@code SENSOR_READER_TOKEN}, if set
     */
    public Redactor(TokenSource tokens, Optional<Secret> configured) {
        this.tokens = tokens;
        this.configured = configured;
    }

    /** The text without secrets; {@code null} stays {@code null}. */
    public String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        out = replace(out, tokens.current());
        out = replace(out, configured);
        out = LABELLED.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + MARK));
        out = JWT.matcher(out).replaceAll(MARK);
        out = HEX.matcher(out).replaceAll(MARK);
        return BASE64ISH.matcher(out).replaceAll(MARK);
    }

    private static String replace(String text, Optional<Secret> secret) {
        if (secret.isEmpty()) {
            return text;
        }
        String value = secret.get().reveal();
        return value.length() >= 4 ? text.replace(value, MARK) : text;
    }
}
