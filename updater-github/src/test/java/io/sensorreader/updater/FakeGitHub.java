package io.sensorreader.updater;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GitHub's REST API as far as the updaters use it, on loopback. It checks the app JWT's RS256
 * signature with the app's public key and the installation token on release calls and downloads.
 */
final class FakeGitHub implements AutoCloseable {

    static final long INSTALLATION = 4242;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Release(String tag, boolean prerelease, Map<String, byte[]> assets, String body) {
    }

    /** The answer to give the next release calls instead of the real one: status, headers, body. */
    record Fault(int status, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService handlers = java.util.concurrent.Executors.newCachedThreadPool();
    private final String appId;
    private final String owner;
    private final String repo;
    private final Clock clock;
    private volatile RSAPublicKey publicKey;
    private final List<Release> releases = new CopyOnWriteArrayList<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();
    private final List<String> revoked = new CopyOnWriteArrayList<>();
    final AtomicInteger tokenRequests = new AtomicInteger();
    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile Duration tokenLifetime = Duration.ofHours(1);
    volatile boolean requireToken = true;
    volatile String lastJwt;
    /** Release calls answer this while set (rate limits, outages). */
    volatile Fault releaseFault;
    /** An asset whose name ends so sends this many bytes, then nothing more (a stalled download). */
    volatile String stallAsset;
    volatile int stallAfter = 1024;
    final java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);

    FakeGitHub(RSAPublicKey publicKey, String appId, String owner, String repo, Clock clock) throws IOException {
        this.publicKey = publicKey;
        this.appId = appId;
        this.owner = owner;
        this.repo = repo;
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void addRelease(String tag, Map<String, byte[]> assets) {
        addRelease(tag, assets, "");
    }

    void addRelease(String tag, Map<String, byte[]> assets, String body) {
        releases.addFirst(new Release(tag, false, new LinkedHashMap<>(assets), body));
    }

    void addPrerelease(String tag, Map<String, byte[]> assets) {
        releases.addFirst(new Release(tag, true, new LinkedHashMap<>(assets), ""));
    }

    /** Tokens issued so far stop working (revoked), as GitHub answers 401 Bad credentials for them. */
    void revokeTokens() {
        revoked.addAll(issued);
    }

    long downloads(String assetName) {
        return requests.stream().filter(r -> r.startsWith("GET ") && r.endsWith("--" + assetName)).count();
    }

    List<String> issuedTokens() {
        return List.copyOf(issued);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            requests.add(method + " " + exchange.getRequestURI());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String repoBase = "/repos/" + owner + "/" + repo;
            if (method.equals("GET") && path.equals(repoBase + "/installation")) {
                if (verifyJwt(exchange, auth)) {
                    send(exchange, 200, "{\"id\": " + INSTALLATION + ", \"app_id\": " + appId + "}");
                }
            } else if (method.equals("POST") && path.equals("/app/installations/" + INSTALLATION + "/access_tokens")) {
                if (verifyJwt(exchange, auth)) {
                    String token = "ghs_fake" + tokenRequests.incrementAndGet() + "x".repeat(20);
                    issued.add(token);
                    send(exchange, 201, "{\"token\": \"" + token + "\", \"expires_at\": \""
                            + clock.instant().plus(tokenLifetime) + "\"}");
                }
            } else if (method.equals("GET") && path.startsWith(repoBase + "/releases")) {
                if (!tokenOk(exchange, auth)) {
                    return;
                }
                Fault fault = releaseFault;
                if (fault != null) {
                    fault.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
                    send(exchange, fault.status(), fault.body());
                    return;
                }
                String rest = path.substring((repoBase + "/releases").length());
                if (rest.startsWith("/tags/")) {
                    String tag = rest.substring("/tags/".length());
                    Release found = releases.stream().filter(r -> r.tag().equals(tag)).findFirst().orElse(null);
                    if (found == null) {
                        send(exchange, 404, "{\"message\": \"Not Found\"}");
                    } else {
                        send(exchange, 200, json(found).toString());
                    }
                } else if (rest.isEmpty()) {
                    ArrayNode all = JSON.createArrayNode();
                    releases.forEach(r -> all.add(json(r)));
                    send(exchange, 200, all.toString());
                } else if (rest.equals("/latest")) {
                    Release latest = releases.stream().filter(r -> !r.prerelease()).findFirst().orElse(null);
                    if (latest == null) {
                        send(exchange, 404, "{\"message\": \"Not Found\"}");
                    } else {
                        send(exchange, 200, json(latest).toString());
                    }
                } else if (rest.startsWith("/assets/")) {
                    if (!"application/octet-stream".equals(exchange.getRequestHeaders().getFirst("Accept"))) {
                        send(exchange, 415, "{\"message\": \"ask for application/octet-stream\"}");
                        return;
                    }
                    String id = rest.substring("/assets/".length());
                    byte[] body = asset(id);
                    if (body == null) {
                        send(exchange, 404, "{\"message\": \"Not Found\"}");
                    } else if (stallAsset != null && id.endsWith(stallAsset)) {
                        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body, 0, Math.min(stallAfter, body.length));
                        exchange.getResponseBody().flush();
                        stalled.countDown();
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    } else {
                        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                    }
                } else {
                    send(exchange, 404, "{\"message\": \"Not Found\"}");
                }
            } else {
                send(exchange, 404, "{\"message\": \"Not Found\"}");
            }
        }
    }

    private boolean verifyJwt(HttpExchange exchange, String auth) throws IOException {
        if (auth == null || !auth.startsWith("Bearer ")) {
            send(exchange, 401, "{\"message\": \"A JSON web token could not be decoded\"}");
            return false;
        }
        String jwt = auth.substring("Bearer ".length());
        try {
            JWTVerifier verifier = ((JWTVerifier.BaseVerification) JWT.require(Algorithm.RSA256(publicKey, null))
                    .withIssuer(appId)).build(clock);
            verifier.verify(jwt);
            lastJwt = jwt;
            return true;
        } catch (JWTVerificationException e) {
            send(exchange, 401, "{\"message\": \"'Issuer' claim or signature is invalid\"}");
            return false;
        }
    }

    private boolean tokenOk(HttpExchange exchange, String auth) throws IOException {
        if (!requireToken) {
            return true;
        }
        if (auth != null && auth.startsWith("Bearer ") && revoked.contains(auth.substring("Bearer ".length()))) {
            send(exchange, 401, "{\"message\": \"Bad credentials\"}");
            return false;
        }
        if (auth != null && auth.startsWith("Bearer ") && issued.contains(auth.substring("Bearer ".length()))) {
            return true;
        }
        send(exchange, 404, "{\"message\": \"Not Found\"}");
        return false;
    }

    private ObjectNode json(Release release) {
        ObjectNode node = JSON.createObjectNode();
        node.put("tag_name", release.tag());
        node.put("draft", false);
        node.put("prerelease", release.prerelease());
        node.put("body", release.body());
        ArrayNode assets = node.putArray("assets");
        for (String name : release.assets().keySet()) {
            ObjectNode asset = assets.addObject();
            asset.put("name", name);
            asset.put("url", uri() + "/repos/" + owner + "/" + repo + "/releases/assets/" + release.tag() + "--" + name);
            asset.put("browser_download_url", "https://example.invalid/" + name);
        }
        return node;
    }

    private byte[] asset(String id) {
        int split = id.indexOf("--");
        if (split < 0) {
            return null;
        }
        String tag = id.substring(0, split);
        String name = id.substring(split + 2);
        for (Release release : new ArrayList<>(releases)) {
            if (release.tag().equals(tag)) {
                return release.assets().get(name);
            }
        }
        return null;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        stallAsset = null;
        handlers.shutdownNow();
        server.stop(0);
    }
}
