package io.sensorreader.http;

import io.sensorreader.api.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code POST} to the collector with a hard deadline: no connection within the connect timeout
 * or no whole answer within the request timeout ends it, so the caller never waits longer than the
 * two together. Interrupting the caller cancels the exchange. {@code http://} goes through {@link
 * PlainHttp}; {@code https://} through {@link JdkHttps}, whose classes (TLS, the JDK's client) are
 * loaded only then. Shared by the exporter and the registrar; safe for concurrent use.
 */
final class CollectorClient implements AutoCloseable {

    /** The most of an answer's body that is read; the collector's answers are under 200 bytes. */
    static final int BODY_LIMIT = 64 * 1024;

    private final Transport transport;
    private final CollectorEndpoint endpoint;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final String userAgent;

    CollectorClient(CollectorEndpoint endpoint, Duration connectTimeout, Duration requestTimeout, String userAgent) {
        this(endpoint, connectTimeout, requestTimeout, userAgent, BODY_LIMIT);
    }

    CollectorClient(CollectorEndpoint endpoint, Duration connectTimeout, Duration requestTimeout, String userAgent,
                    int bodyLimit) {
        this.endpoint = endpoint;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.userAgent = userAgent;
        Transport.Limits limits = new Transport.Limits(connectTimeout, requestTimeout, bodyLimit);
        URI base = endpoint.base();
        this.transport = base.getScheme().equals("https")
                ? new JdkHttps(base, limits)
                : new PlainHttp(base.getHost(), base.getPort() < 0 ? 80 : base.getPort(), base.getRawAuthority(), limits);
    }

    CollectorEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Sends the body; never throws.
     *
     * @param token sent as {@code X-API-KEY} when present
     */
    Response post(String path, String body, Optional<Secret> token) {
        String[] headers = token.isPresent()
                ? new String[] {"Content-Type", "application/json", "Accept", "application/json", "User-Agent", userAgent,
                    "X-API-KEY", token.get().reveal()}
                : new String[] {"Content-Type", "application/json", "Accept", "application/json", "User-Agent", userAgent};
        if (token.isPresent() && !sendable(token.get().reveal())) {
            // Its text must not reach the message.
            return new Response.BadToken(path + ": the token cannot be sent as an HTTP header (it has characters a header cannot carry)");
        }
        try {
            Response.Answered a = transport.post(endpoint.base().getRawPath() + path, headers,
                    body.getBytes(StandardCharsets.UTF_8));
            return new Response.Answered(a.status(), a.headers(), a.body(), a.truncated(), token);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response.NoAnswer(path + ": interrupted (shutting down)");
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                return new Response.NoAnswer(path + ": interrupted (shutting down)");
            }
            return new Response.NoAnswer(path + ": " + describe(e));
        }
    }

    /** Visible ASCII, with spaces or tabs only inside: what a header value can carry as it is. */
    static boolean sendable(String value) {
        if (value.isEmpty() || value.charAt(0) <= 0x20 || value.charAt(value.length() - 1) <= 0x20) {
            return false;
        }
        return value.chars().allMatch(c -> c > 0x20 && c < 0x7f || c == ' ' || c == '\t');
    }

    private String describe(IOException e) {
        String host = endpoint.base().getRawAuthority();
        // instanceof rather than a pattern switch: the SSL class is then loaded only when it is in question.
        if (e instanceof Transport.ConnectTimeout) {
            return "no connection to " + host + " within " + seconds(connectTimeout) + " (connect timeout)";
        }
        if (e instanceof Transport.RequestTimeout) {
            return "no answer within " + seconds(requestTimeout) + " (request timeout)";
        }
        if (e instanceof ConnectException) {
            return "connection to " + host + " refused or unreachable";
        }
        if (endpoint.base().getScheme().equals("https") && e instanceof javax.net.ssl.SSLException) {
            return "TLS failed with " + host + ": " + e.getMessage();
        }
        return "connection to " + host + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Aborts what is in flight and releases connections. */
    @Override
    public void close() {
        transport.close();
    }

    /** What came of a request. */
    sealed interface Response {

        /**
         * The collector answered, with any status.
         *
         * @param headers   by lower-case name; repeated headers joined with {@code ", "}
         * @param body      at most {@link #BODY_LIMIT} bytes of it
         * @param truncated whether the body went on beyond what was read
         * @param sent      the token the request carried, to scrub from what the server says
         */
        record Answered(int status, Map<String, String> headers, byte[] body, boolean truncated, Optional<Secret> sent)
                implements Response {

            /** A header's value, by any case of its name. */
            Optional<String> header(String name) {
                return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
            }

            /** The body as text (lenient), for parsing. Not for logs: see {@link #firstBytes()}. */
            String text() {
                return new String(body, StandardCharsets.UTF_8);
            }

            /** The first bytes of the body, printable and scrubbed of secrets, for a log line: at most 200 characters. */
            String firstBytes() {
                String s = Scrubber.scrub(text(), sent);
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < s.length() && out.length() < 200; i++) {
                    char c = s.charAt(i);
                    out.append(c < 0x20 || c == 0x7f ? ' ' : c);
                }
                return s.length() > 200 || truncated ? out + "..." : out.toString();
            }
        }

        /** No answer: refused, reset, timed out, TLS failure, interrupted. */
        record NoAnswer(String detail) implements Response {
        }

        /** Nothing was sent because the token cannot be a header value. */
        record BadToken(String detail) implements Response {
        }
    }
}
