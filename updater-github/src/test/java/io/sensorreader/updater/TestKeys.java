package io.sensorreader.updater;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** RSA keys made at test time, written as PEM files the way GitHub and openssl write them. */
final class TestKeys {

    private TestKeys() {
    }

    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String pkcs8Pem(KeyPair keys) {
        return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    /** PKCS#1, as GitHub hands out: the octet string inside the PKCS#8 envelope. */
    static String pkcs1Pem(KeyPair keys) {
        return pem("RSA PRIVATE KEY", pkcs1(keys.getPrivate().getEncoded()));
    }

    static Path write(Path folder, String name, String pem, String mode) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /** PrivateKeyInfo: SEQUENCE { INTEGER, SEQUENCE, OCTET STRING }; returns the octet string's content. */
    static byte[] pkcs1(byte[] pkcs8) {
        int[] position = {0};
        expect(pkcs8, position, 0x30);
        length(pkcs8, position);
        expect(pkcs8, position, 0x02);
        int version = length(pkcs8, position);
        position[0] += version;
        expect(pkcs8, position, 0x30);
        int algorithm = length(pkcs8, position);
        position[0] += algorithm;
        expect(pkcs8, position, 0x04);
        int size = length(pkcs8, position);
        return Arrays.copyOfRange(pkcs8, position[0], position[0] + size);
    }

    private static void expect(byte[] der, int[] position, int tag) {
        if ((der[position[0]++] & 0xff) != tag) {
            throw new AssertionError("unexpected DER tag at " + (position[0] - 1));
        }
    }

    private static int length(byte[] der, int[] position) {
        int first = der[position[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = (length << 8) | (der[position[0]++] & 0xff);
        }
        return length;
    }
}
