package io.sensorreader.updater;

import io.sensorreader.api.Secret;

import java.net.URI;

/** Keeps secrets out of messages: user info in URLs, a token echoed by a remote. */
final class Redact {

    private Redact() {
    }

    /** The URL without user info, e.g. {@code https://***@github.com/o/r.git}. */
    static String url(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getRawUserInfo() != null) {
                return url.replace(uri.getRawUserInfo() + "@", "***@");
            }
        } catch (IllegalArgumentException e) {
            // scp-like git URLs (git@host:o/r.git) carry no secret
        }
        return url;
    }

    static Command.Outcome outcome(Command.Outcome outcome, Secret secret) {
        String token = secret.reveal();
        String basic = java.util.Base64.getEncoder().encodeToString(
                ("x-access-token:" + token).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String output = outcome.output().replace(token, secret.toString()).replace(basic, secret.toString());
        return new Command.Outcome(outcome.exitCode(), output, outcome.timedOut());
    }
}
