package io.sensorreader.updater;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A staged rollout declared in a release's body, as a line {@code rollout: 25%}. A device takes
 * the release only when its bucket, a stable hash of (device id, tag) from 0 to 99, is below the
 * percentage, so widening the line (editing the release) adds devices and never removes one, and
 * each release picks a different first quarter of the fleet.
 */
final class Rollout {

    private static final Pattern LINE = Pattern.compile("(?im)^[ \\t>*-]*rollout:[ \\t]*(\\d{1,3})[ \\t]*%[ \\t]*$");

    private Rollout() {
    }

    /** The declared percentage (0 to 100), if the body has a rollout line. */
    static OptionalInt percent(String body) {
        if (body == null) {
            return OptionalInt.empty();
        }
        Matcher m = LINE.matcher(body);
        if (!m.find()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Math.min(100, Integer.parseInt(m.group(1))));
    }

    /** The device's bucket for a tag: the first four bytes of SHA-256("deviceId\0tag"), modulo 100. */
    static int bucket(String deviceId, String tag) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((deviceId + "\0" + tag).getBytes(StandardCharsets.UTF_8));
            long value = ((hash[0] & 0xFFL) << 24) | ((hash[1] & 0xFFL) << 16) | ((hash[2] & 0xFFL) << 8) | (hash[3] & 0xFFL);
            return (int) (value % 100);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }

    static boolean includes(String deviceId, String tag, int percent) {
        return bucket(deviceId, tag) < percent;
    }
}
