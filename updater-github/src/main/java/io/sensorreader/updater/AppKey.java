package io.sensorreader.updater;

import io.sensorreader.api.ConfigException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads a GitHub App's private key from a PEM file: PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what
 * GitHub hands out) or PKCS#8 ({@code BEGIN PRIVATE KEY}). The JDK reads only PKCS#8, so a PKCS#1
 * key is wrapped in a PKCS#8 envelope here. Encrypted keys and files others can read are refused:
 * the agent runs unattended, and a key readable by other users is a leaked key.
 */
final class AppKey {

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
    private static final byte[] RSA_ALGORITHM = {
            0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private AppKey() {
    }

    /**
     * @param setting the setting's name for messages, e.g. {@code SENSOR_READER_GITHUB_APP_PEM_PATH}
     * @throws ConfigException when the file is missing, readable by others, encrypted or not an RSA key
     */
    static RSAPrivateKey read(String setting, Path file) {
        String where = setting + ": " + file;
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(where + " does not exist or is not a file; expected the GitHub App's private key (.pem)");
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        String text;
        try {
            if (posix != null) {
                Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
                if (permissions.stream().anyMatch(OTHERS::contains)) {
                    throw new ConfigException(where + " is readable by group or others ("
                            + PosixFilePermissions.toString(permissions) + "); run chmod 600 " + file);
                }
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(where + " cannot be read (" + e.getMessage() + "); expected the GitHub App's private key (.pem)", e);
        }
        return parse(where, text);
    }

    static RSAPrivateKey parse(String where, String pem) {
        if (pem.contains("ENCRYPTED")) {
            throw new ConfigException(where + " is encrypted; the agent needs it unencrypted: "
                    + "openssl pkey -in <key> -out <new key>, then chmod 600 the new key");
        }
        byte[] pkcs8;
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            pkcs8 = wrapPkcs1(body(where, pem, "RSA PRIVATE KEY"));
        } else if (pem.contains("-----BEGIN PRIVATE KEY-----")) {
            pkcs8 = body(where, pem, "PRIVATE KEY");
        } else {
            throw new ConfigException(where + " is not a PEM private key; expected BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY, "
                    + "as downloaded from the GitHub App's settings");
        }
        try {
            if (KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)) instanceof RSAPrivateKey key) {
                return key;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException(where + " is not a readable RSA private key (" + e.getMessage()
                    + "); expected the GitHub App's private key (.pem)", e);
        }
        throw new ConfigException(where + " is not an RSA key; GitHub App keys are RSA");
    }

    private static byte[] body(String where, String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end, from);
        if (to < 0) {
            throw new ConfigException(where + " has no '" + end + "' line; the file is cut short");
        }
        String base64 = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + " is not valid base64 between its BEGIN and END lines", e);
        }
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, privateKey OCTET STRING }. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream content = new ByteArrayOutputStream(pkcs1.length + 32);
        content.writeBytes(new byte[] {0x02, 0x01, 0x00});
        content.writeBytes(RSA_ALGORITHM);
        content.write(0x04);
        writeLength(content, pkcs1.length);
        content.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.size() + 8);
        out.write(0x30);
        writeLength(out, content.size());
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            out.write(length >>> (8 * i));
        }
    }
}
