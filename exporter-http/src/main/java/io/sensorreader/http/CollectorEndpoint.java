package io.sensorreader.http;

import io.sensorreader.api.ConfigException;
import io.sensorreader.api.PluginConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The collector's base URL, from {@code SENSOR_READER_COLLECTOR_HOST}. Accepts {@code http://} and
 * {@code https://} URLs with an optional base path and trailing slash; refuses a host without a
 * scheme rather than guessing {@code http://}, because a guess would send the token in clear text.
 */
record CollectorEndpoint(URI base) {

    static final String KEY = "COLLECTOR_HOST";
    static final String DEFAULT = "http://localhost:3000";

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:.]+]?");

    /** Reads and checks the setting. */
    static CollectorEndpoint from(PluginConfig settings) {
        String text = settings.getString(KEY, DEFAULT);
        String expected = "a URL such as http://collector:3000 or https://collector.example.com";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw settings.invalid(KEY, expected);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw settings.invalid(KEY, expected + " (with http:// or https://)");
        }
        if (uri.getRawUserInfo() != null) {
            // Not settings.invalid(): that would print the password.
            throw new ConfigException(settings.nameOf(KEY)
                    + " carries a user name or password; the collector authenticates with the device token only: remove the part before '@'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw settings.invalid(KEY, expected + " without '?' or '#'");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new CollectorEndpoint(URI.create(scheme + "://" + uri.getRawAuthority() + path));
    }

    /** The URL of a collector path such as {@code /metrics}. */
    URI resolve(String path) {
        return URI.create(base + path);
    }

    /** Whether the token would travel unencrypted to another machine. */
    boolean cleartextOffLoopback() {
        return base.getScheme().equals("http") && !onLoopback(base.getHost());
    }

    /** Without a DNS lookup: start-up must not wait for the network. */
    static boolean onLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (!IP_LITERAL.matcher(h).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
