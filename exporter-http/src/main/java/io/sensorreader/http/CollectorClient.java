package io.sensorreader.http;

import io.sensorreader.api.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code POST} to the collector with a hard deadline: the request timeout bounds the wait for an
 * answer, and the caller never waits longer than connect timeout plus request timeout in all (the
 * JDK's own timeouts do not bound a body that trickles in). Interrupting the caller cancels the
 * exchange. Shared by the exporter and the registrar; safe for concurrent use.
 */
final class CollectorClient implements AutoCloseable {

    private final HttpClient http;
    private final CollectorEndpoint endpoint;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final String userAgent;

    CollectorClient(CollectorEndpoint endpoint, Duration connectTimeout, Duration requestTimeout, String userAgent) {
        this.endpoint = endpoint;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.userAgent = userAgent;
        // HTTP/1.1 keeps connections alive between requests; TLS certificates and host names are
        // verified by the JDK's defaults, which are deliberately left alone.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    CollectorEndpoint endpoint() {
        return endpoint;
    }

    /** The longest {@link #post} can take. */
    Duration deadline() {
        return connectTimeout.plus(requestTimeout);
    }

    /**
     * Sends the body; never throws.
     *
     * @param token sent as {@code X-API-KEY} when present
     */
    Response post(String path, String body, Optional<Secret> token) {
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint.resolve(path))
                    .timeout(requestTimeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("User-Agent", userAgent)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8)));
            token.ifPresent(t -> builder.header("X-API-KEY", t.reveal()));
            request = builder.build();
        } catch (IllegalArgumentException e) {
            // Only the token can make a header invalid; its text must not reach the message.
            return new Response.BadToken(path + ": the token cannot be sent as an HTTP header (it has characters a header cannot carry)");
        }
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            HttpResponse<byte[]> response = future.get(deadline().toMillis(), TimeUnit.MILLISECONDS);
            return new Response.Answered(response.statusCode(), response.headers(), response.body());
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Response.NoAnswer(path + ": no answer within " + seconds(deadline()) + " (connect and request timeouts)");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Response.NoAnswer(path + ": interrupted (shutting down)");
        } catch (ExecutionException e) {
            return new Response.NoAnswer(path + ": " + describe(e.getCause()));
        }
    }

    private String describe(Throwable t) {
        String host = endpoint.base().getAuthority();
        return switch (t) {
            case HttpConnectTimeoutException c -> "no connection to " + host + " within " + seconds(connectTimeout) + " (connect timeout)";
            case HttpTimeoutException c -> "no answer within " + seconds(requestTimeout) + " (request timeout)";
            case ConnectException c -> "connection to " + host + " refused or unreachable";
            case javax.net.ssl.SSLException c -> "TLS failed with " + host + ": " + c.getMessage();
            case IOException c -> "connection to " + host + " failed: " + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
            default -> "request failed: " + t;
        };
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Aborts what is in flight and releases connections. */
    @Override
    public void close() {
        http.shutdownNow();
    }

    /** What came of a request. */
    sealed interface Response {

        /** The collector answered, with any status. */
        record Answered(int status, HttpHeaders headers, byte[] body) implements Response {

            /** The body as text (lenient), for parsing and logs. */
            String text() {
                return new String(body, StandardCharsets.UTF_8);
            }

            /** The first bytes of the body, printable, for a log line: at most 200 characters. */
            String firstBytes() {
                String s = text();
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < s.length() && out.length() < 200; i++) {
                    char c = s.charAt(i);
                    out.append(c < 0x20 || c == 0x7f ? ' ' : c);
                }
                return s.length() > 200 ? out + "..." : out.toString();
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
