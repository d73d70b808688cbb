package io.sensorreader.updater;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorreader.api.Secret;
import io.sensorreader.api.agent.UpdateException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The few GitHub REST calls the updaters make, over {@link HttpClient}. Every exchange has two
 * deadlines, counted on the injected clock: a total one and a stall one (no byte for that long),
 * so that a server that answers slowly or stops half-way never holds the update thread. Redirects
 * are followed by hand so that the {@code Authorization} header never goes to another host (asset
 * downloads redirect to a storage service that refuses it). Rate-limit answers (429, or 403 with
 * {@code x-ratelimit-remaining: 0}) carry the time GitHub allows the next call.
 */
final class GitHubApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REDIRECTS = 5;
    /** The most a JSON answer or a checksum/signature file may hold. */
    static final long SMALL_LIMIT = 4L << 20;
    private static final int ERROR_BODY_LIMIT = 4096;

    /** How long to wait between looks at the deadlines, and what to do at each look (tests move a clock). */
    interface Pacing {
        Pacing REAL = () -> { };

        void tick();

        default Duration poll() {
            return Duration.ofMillis(500);
        }
    }

    /** The deadlines of a transfer. */
    record Deadlines(Duration total, Duration stall) {
    }

    private final URI base;
    private final HttpClient client;
    private final Deadlines calls;
    private final Deadlines downloads;
    private final Clock clock;
    private final Pacing pacing;

    GitHubApi(URI base, Deadlines calls, Deadlines downloads, Clock clock, Pacing pacing) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.calls = calls;
        this.downloads = downloads;
        this.clock = clock;
        this.pacing = pacing;
        this.client = HttpClient.newBuilder()
                .connectTimeout(calls.stall())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** With the same deadline for everything: calls and downloads get {@code timeout} as total and stall. */
    GitHubApi(URI base, Duration timeout) {
        this(base, new Deadlines(timeout, timeout), new Deadlines(timeout.multipliedBy(20), timeout), Clock.systemUTC(),
                Pacing.REAL);
    }

    /** The API base, e.g. {@code https://api.github.com/}, for messages. */
    URI base() {
        return base;
    }

    Clock clock() {
        return clock;
    }

    /**
     * A JSON call.
     *
     * @param authorization the whole header value ({@code Bearer <jwt>}), or null for none
     * @throws GitHubStatusException for an answer other than 2xx
     * @throws UpdateException for network trouble, a deadline, or an unreadable body
     */
    JsonNode call(String step, String method, String path, String authorization) throws UpdateException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", "sensor-reader-updater")
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Answer answer = exchange(step, method + " " + path, request.build(), new Sink(body, null, SMALL_LIMIT), calls);
        if (answer.status() / 100 != 2) {
            throw status(step, method + " " + path, answer);
        }
        try {
            return JSON.readTree(body.toByteArray());
        } catch (IOException e) {
            throw new UpdateException(step, method + " " + path + " answered " + answer.status()
                    + " with a body that is not JSON; is SENSOR_READER_GITHUB_API_URL (" + base + ") a GitHub API?", e);
        }
    }

    /**
     * Downloads a release asset by its API URL into {@code target}, with the token when there is one.
     *
     * @param limit the most bytes accepted
     * @return the number of bytes written
     */
    long download(String step, URI asset, Optional<Secret> token, Path target, long limit) throws UpdateException {
        URI url = asset;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(url)
                    .header("Accept", "application/octet-stream")
                    .header("User-Agent", "sensor-reader-updater")
                    .GET();
            if (token.isPresent() && sameOrigin(url, asset)) {
                request.header("Authorization", "Bearer " + token.get().reveal());
            }
            String what = "GET " + asset.getPath();
            Answer answer;
            try (FileChannel file = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                answer = exchange(step, what, request.build(), new Sink(new ByteArrayOutputStream(), file, limit), downloads);
            } catch (IOException e) {
                throw new UpdateException(step, "cannot write " + target + ": " + e.getMessage(), e);
            }
            int status = answer.status();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String location = answer.headers().firstValue("Location").orElseThrow(() ->
                        new UpdateException(step, what + " answered " + status + " without a Location"));
                url = url.resolve(location);
                continue;
            }
            if (status / 100 != 2) {
                throw status(step, what, answer);
            }
            return answer.bytes();
        }
        throw new UpdateException(step, "GET " + asset.getPath() + " redirected more than " + MAX_REDIRECTS + " times");
    }

    private record Answer(int status, HttpHeaders headers, long bytes, String errorBody) {
    }

    /** One exchange, waited for with its deadlines. */
    private Answer exchange(String step, String what, HttpRequest request, Sink sink, Deadlines deadlines)
            throws UpdateException {
        Instant start = clock.instant();
        sink.lastProgress = start;
        CompletableFuture<HttpResponse<Long>> future = client.sendAsync(request, info -> {
            sink.begin(info.statusCode());
            return sink;
        });
        while (true) {
            try {
                HttpResponse<Long> response = future.get(pacing.poll().toMillis(), TimeUnit.MILLISECONDS);
                return new Answer(response.statusCode(), response.headers(), sink.bytes.get(),
                        sink.error.toString(StandardCharsets.UTF_8));
            } catch (TimeoutException e) {
                pacing.tick();
                Instant now = clock.instant();
                String failure = null;
                if (!now.isBefore(start.plus(deadlines.total()))) {
                    failure = "took longer than " + seconds(deadlines.total()) + " (" + sink.bytes.get() + " bytes came)";
                } else if (!now.isBefore(sink.lastProgress.plus(deadlines.stall()))) {
                    failure = "stalled: nothing came for " + seconds(deadlines.stall()) + " after " + sink.bytes.get() + " bytes";
                }
                if (failure != null) {
                    sink.abort();
                    future.cancel(true);
                    throw new UpdateException(step, what + " at " + base + " " + failure + "; will try again next round");
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof SinkLimitException limit) {
                    throw new UpdateException(step, what + " sent more than " + limit.limit + " bytes; refused");
                }
                throw new UpdateException(step, what + " at " + base + " failed: " + describe(cause) + "; will try again next round", cause);
            } catch (InterruptedException e) {
                sink.abort();
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new UpdateException(step, what + " was interrupted", e);
            }
        }
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }

    private GitHubStatusException status(String step, String what, Answer answer) {
        HttpHeaders headers = answer.headers();
        Optional<Instant> retryAt = Optional.empty();
        boolean limited = answer.status() == 429 || (answer.status() == 403
                && headers.firstValue("x-ratelimit-remaining").map(String::strip).filter("0"::equals).isPresent());
        Optional<String> retryAfter = headers.firstValue("Retry-After").map(String::strip);
        if (retryAfter.isPresent() && retryAfter.get().matches("\\d{1,9}")) {
            retryAt = Optional.of(clock.instant().plusSeconds(Long.parseLong(retryAfter.get())));
            limited = limited || answer.status() == 403;
        } else if (limited) {
            retryAt = headers.firstValue("x-ratelimit-reset").map(String::strip).filter(v -> v.matches("\\d{1,12}"))
                    .map(v -> Instant.ofEpochSecond(Long.parseLong(v)));
        }
        if (limited && retryAt.isEmpty()) {
            retryAt = Optional.of(clock.instant().plus(Duration.ofMinutes(1)));
        }
        return new GitHubStatusException(step, what, answer.status(), githubMessage(answer.errorBody()), limited ? retryAt : Optional.empty());
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
                && a.getPort() == b.getPort();
    }

    private static String githubMessage(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("message")) {
                return node.get("message").asText();
            }
        } catch (IOException e) {
            // not JSON: fall through to the raw text
        }
        String text = body == null ? "" : body.strip();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static final class SinkLimitException extends IOException {
        final long limit;

        SinkLimitException(long limit) {
            super("more than " + limit + " bytes");
            this.limit = limit;
        }
    }

    /**
     * Takes a body: into the file (or memory) for a 2xx, the first few KiB into memory for an
     * error, nothing for a redirect. Notes the time of every chunk for the stall deadline.
     */
    private final class Sink implements HttpResponse.BodySubscriber<Long> {
        private final ByteArrayOutputStream memory;
        private final FileChannel file;
        private final long limit;
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        final AtomicLong bytes = new AtomicLong();
        final ByteArrayOutputStream error = new ByteArrayOutputStream();
        volatile Instant lastProgress;
        private volatile Flow.Subscription subscription;
        private volatile int status;

        Sink(ByteArrayOutputStream memory, FileChannel file, long limit) {
            this.memory = memory;
            this.file = file;
            this.limit = limit;
        }

        void begin(int statusCode) {
            status = statusCode;
            lastProgress = clock.instant();
        }

        void abort() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            result.completeExceptionally(new IOException("aborted"));
        }

        @Override
        public CompletableFuture<Long> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            try {
                for (ByteBuffer item : items) {
                    int n = item.remaining();
                    if (status / 100 == 2) {
                        if (bytes.addAndGet(n) > limit) {
                            subscription.cancel();
                            result.completeExceptionally(new SinkLimitException(limit));
                            return;
                        }
                        if (file != null) {
                            while (item.hasRemaining()) {
                                file.write(item);
                            }
                        } else {
                            byte[] chunk = new byte[n];
                            item.get(chunk);
                            memory.write(chunk);
                        }
                    } else if (status / 100 != 3 && error.size() < ERROR_BODY_LIMIT) {
                        byte[] chunk = new byte[Math.min(n, ERROR_BODY_LIMIT - error.size())];
                        item.get(chunk);
                        error.write(chunk);
                    }
                }
                lastProgress = clock.instant();
                subscription.request(1);
            } catch (IOException e) {
                subscription.cancel();
                result.completeExceptionally(e);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.get());
        }
    }

    /** GitHub answered, but not with 2xx. */
    static final class GitHubStatusException extends UpdateException {
        private final int status;
        private final Optional<Instant> retryAt;

        GitHubStatusException(String step, String what, int status, String githubMessage, Optional<Instant> retryAt) {
            super(step, what + " answered " + status + (githubMessage.isEmpty() ? "" : " (" + githubMessage + ")")
                    + retryAt.map(at -> "; GitHub's rate limit allows the next call at " + at).orElse(""));
            this.status = status;
            this.retryAt = retryAt;
        }

        int status() {
            return status;
        }

        /** When a rate limit ends, for a rate-limit answer. */
        Optional<Instant> retryAt() {
            return retryAt;
        }

        boolean rateLimited() {
            return retryAt.isPresent();
        }
    }
}
