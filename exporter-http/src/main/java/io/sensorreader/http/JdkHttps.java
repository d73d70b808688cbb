package io.sensorreader.http;

import io.sensorreader.http.CollectorClient.Response.Answered;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code https://} through the JDK's HTTP client, HTTP/1.1 with keep-alive, certificates and host
 * names verified by the JDK's defaults (deliberately left alone), no redirects followed. Only
 * loaded for an {@code https://} collector: it brings TLS, the trust store and the client's own
 * threads. The JDK's own timeouts do not bound a body that trickles in, so the caller waits at
 * most connect plus request timeout in all; the body is read up to the limit, then the rest is
 * cancelled.
 */
final class JdkHttps implements Transport {

    private final HttpClient http;
    private final URI base;
    private final Limits limits;

    JdkHttps(URI base, Limits limits) {
        this.base = base;
        this.limits = limits;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(limits.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Answered post(String target, String[] headers, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(target))
                .timeout(limits.requestTimeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        CompletableFuture<HttpResponse<Bounded>> future = http.sendAsync(builder.build(),
                info -> new BoundedBody(limits.bodyLimit()));
        long wait = limits.connectTimeout().plus(limits.requestTimeout()).toMillis();
        try {
            HttpResponse<Bounded> response = future.get(wait, TimeUnit.MILLISECONDS);
            Map<String, String> names = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) ->
                    names.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
            Bounded b = response.body();
            return new Answered(response.statusCode(), names, b.bytes(), b.truncated(), Optional.empty());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RequestTimeout();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw switch (e.getCause()) {
                case HttpConnectTimeoutException c -> new ConnectTimeout();
                case HttpTimeoutException c -> new RequestTimeout();
                case IOException c -> c;
                case Throwable t -> new IOException("request failed: " + t, t);
            };
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    private record Bounded(byte[] bytes, boolean truncated) {
    }

    /** Keeps the first {@code limit} bytes, then cancels the rest of the body. */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<Bounded> {

        private final int limit;
        private final CompletableFuture<Bounded> result = new CompletableFuture<>();
        private byte[] bytes = new byte[0];
        private Flow.Subscription subscription;

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<Bounded> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int room = limit - bytes.length;
                int take = Math.min(room, item.remaining());
                int old = bytes.length;
                bytes = Arrays.copyOf(bytes, old + take);
                item.get(bytes, old, take);
                if (item.hasRemaining()) {
                    subscription.cancel();
                    result.complete(new Bounded(bytes, true));
                    return;
                }
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(new Bounded(bytes, false));
        }
    }
}
