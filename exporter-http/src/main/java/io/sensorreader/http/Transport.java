package io.sensorreader.http;

import io.sensorreader.http.CollectorClient.Response.Answered;
import java.io.IOException;
import java.time.Duration;

/**
 * One way to carry a {@code POST} to the collector: {@link PlainHttp} over a socket for {@code
 * http://}, {@link JdkHttps} (the JDK's HTTP client, with its TLS) for {@code https://}. Safe for
 * concurrent use. Failures are thrown as the exceptions below, which {@link CollectorClient} turns
 * into one line of text.
 */
interface Transport extends AutoCloseable {

    /** What the transports need to know, whatever the scheme. */
    record Limits(Duration connectTimeout, Duration requestTimeout, int bodyLimit) {
    }

    /**
     * Sends one request and reads its answer within the timeouts; at most {@code bodyLimit} bytes
     * of the answer's body are kept, the rest is not read ({@link Answered#truncated()}).
     *
     * @param target  the request target, e.g. {@code /api/metrics}
     * @param headers name, value, name, value, ...: already checked to be sendable
     * @throws ConnectTimeout     no connection within the connect timeout
     * @throws RequestTimeout    no whole answer within the request timeout
     * @throws java.net.ConnectException refused or unreachable
     * @throws IOException       any other failure; its message is fit for a log line
     * @throws InterruptedException the caller was interrupted; the exchange is abandoned
     */
    Answered post(String target, String[] headers, byte[] body) throws IOException, InterruptedException;

    /** Aborts what is in flight and releases connections. */
    @Override
    void close();

    /** No connection within the connect timeout. */
    final class ConnectTimeout extends IOException {
        ConnectTimeout() {
            super("connect timeout");
        }
    }

    /** No whole answer within the request timeout. */
    final class RequestTimeout extends IOException {
        RequestTimeout() {
            super("request timeout");
        }
    }
}
