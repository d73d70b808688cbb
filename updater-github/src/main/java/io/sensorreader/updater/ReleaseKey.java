package io.sensorreader.updater;

import io.sensorreader.api.ConfigException;
import io.sensorreader.api.PluginConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The release signing key ({@code SENSOR_READER_RELEASE_PUBLIC_KEY}): an Ed25519 public key in PEM
 * ({@code -----BEGIN PUBLIC KEY-----}, as {@code openssl pkey -pubout} writes it), given as the PEM
 * text itself or as the path of a file holding it. Verifies the raw 64-byte Ed25519 signature that
 * {@code openssl pkeyutl -sign -rawin} makes, with the JDK's own Ed25519.
 */
final class ReleaseKey {

    static final String SETTING = "RELEASE_PUBLIC_KEY";

    private final PublicKey key;
    private final String fingerprint;

    private ReleaseKey(PublicKey key, String fingerprint) {
        this.key = key;
        this.fingerprint = fingerprint;
    }

    /** The key when the setting is there. */
    static java.util.Optional<ReleaseKey> from(PluginConfig settings) {
        if (!settings.has(SETTING)) {
            return java.util.Optional.empty();
        }
        String value = settings.requireString(SETTING).strip();
        String pem = value;
        String expected = "an Ed25519 public key in PEM (-----BEGIN PUBLIC KEY----- ...), or the path of a file holding one";
        if (!value.startsWith("-----BEGIN")) {
            try {
                pem = Files.readString(Path.of(value), StandardCharsets.US_ASCII);
            } catch (IOException | RuntimeException e) {
                throw new ConfigException(settings.nameOf(SETTING) + " is '" + value + "', which cannot be read ("
                        + e.getMessage() + "); expected " + expected);
            }
        }
        try {
            return java.util.Optional.of(parse(pem));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw settings.invalid(SETTING, expected);
        }
    }

    static ReleaseKey parse(String pem) throws GeneralSecurityException {
        String text = pem.replace("\\n", "\n");
        int begin = text.indexOf("-----BEGIN PUBLIC KEY-----");
        int end = text.indexOf("-----END PUBLIC KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("no PUBLIC KEY block");
        }
        String body = text.substring(begin + "-----BEGIN PUBLIC KEY-----".length(), end).replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(der);
        return new ReleaseKey(key, java.util.HexFormat.of().formatHex(sha, 0, 8));
    }

    /** Whether {@code signature} is this key's Ed25519 signature of {@code message}. */
    boolean verifies(byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The first 8 bytes of the SHA-256 of the key, for messages. */
    String fingerprint() {
        return fingerprint;
    }
}
