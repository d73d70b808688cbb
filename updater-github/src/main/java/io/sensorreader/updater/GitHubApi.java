package io.sensorreader.updater;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorreader.api.Secret;
import io.sensorreader.api.agent.UpdateException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

/**
 * The few GitHub REST calls the updaters make, over {@link HttpClient} with timeouts. Redirects
 * are followed by hand so that the {@code Authorization} header never goes to another host (asset
 * downloads redirect to a storage service that refuses it).
 */
final class GitHubApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REDIRECTS = 5;

    private final URI base;
    private final HttpClient client;
    private final Duration timeout;

    GitHubApi(URI base, Duration timeout) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The API base, e.g. {@code https://api.github.com/}, for messages. */
    URI base() {
        return base;
    }

    /**
     * A JSON call.
     *
     * @param authorization the whole header value ({@code Bearer <jwt>}), or null for none
     * @throws GitHubStatusException for an answer other than 2xx
     * @throws UpdateException for network trouble or an unreadable body
     */
    JsonNode call(String step, String method, String path, String authorization) throws UpdateException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(timeout)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", "sensor-reader-updater")
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = send(step, method + " " + path, request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new GitHubStatusException(step, method + " " + path, response.statusCode(), githubMessage(response.body()));
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UpdateException(step, method + " " + path + " answered " + response.statusCode()
                    + " with a body that is not JSON; is SENSOR_READER_GITHUB_API_URL (" + base + ") a GitHub API?", e);
        }
    }

    /** Downloads a release asset by its API URL into {@code target}, with the token when there is one. */
    void download(String step, URI asset, Optional<Secret> token, Path target) throws UpdateException {
        URI url = asset;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(url)
                    .timeout(timeout.multipliedBy(20))
                    .header("Accept", "application/octet-stream")
                    .header("User-Agent", "sensor-reader-updater")
                    .GET();
            if (token.isPresent() && sameOrigin(url, asset)) {
                request.header("Authorization", "Bearer " + token.get().reveal());
            }
            HttpResponse<InputStream> response = send(step, "GET " + url.getPath(), request.build(), HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                closeQuietly(response.body());
                String location = response.headers().firstValue("Location").orElseThrow(() ->
                        new UpdateException(step, "GET " + asset.getPath() + " answered " + status + " without a Location"));
                url = url.resolve(location);
                continue;
            }
            try (InputStream body = response.body()) {
                if (status / 100 != 2) {
                    throw new GitHubStatusException(step, "GET " + asset.getPath(), status,
                            githubMessage(new String(body.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8)));
                }
                Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (IOException e) {
                throw new UpdateException(step, "downloading " + asset.getPath() + " failed: " + e.getMessage(), e);
            }
        }
        throw new UpdateException(step, "GET " + asset.getPath() + " redirected more than " + MAX_REDIRECTS + " times");
    }

    private <T> HttpResponse<T> send(String step, String what, HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws UpdateException {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new UpdateException(step, what + " at " + base + " failed: " + describe(e) + "; will try again next round", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpdateException(step, what + " was interrupted", e);
        }
    }

    private static String describe(IOException e) {
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

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing to do: the redirect body is discarded
        }
    }

    /** GitHub answered, but not with 2xx. */
    static final class GitHubStatusException extends UpdateException {
        private final int status;

        GitHubStatusException(String step, String what, int status, String githubMessage) {
            super(step, what + " answered " + status + (githubMessage.isEmpty() ? "" : " (" + githubMessage + ")"));
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
