package io.sensorreader.updater;

import io.sensorreader.api.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppKeyTest {

    private static final String SETTING = "SENSOR_READER_GITHUB_APP_PEM_PATH";
    private static KeyPair keys;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeKey() {
        keys = TestKeys.generate();
    }

    @Test
    void readsPkcs8Key() throws Exception {
        Path file = TestKeys.write(dir, "app.pem", TestKeys.pkcs8Pem(keys), "rw-------");

        RSAPrivateKey key = AppKey.read(SETTING, file);

        assertThat(key.getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
    }

    @Test
    void readsPkcs1KeyAsGitHubHandsItOut() throws Exception {
        Path file = TestKeys.write(dir, "app.pem", TestKeys.pkcs1Pem(keys), "r--------");

        RSAPrivateKey key = AppKey.read(SETTING, file);

        assertThat(key.getModulus()).isEqualTo(((RSAPrivateCrtKey) keys.getPrivate()).getModulus());
        assertThat(key.getPrivateExponent()).isEqualTo(((RSAPrivateCrtKey) keys.getPrivate()).getPrivateExponent());
    }

    @Test
    void refusesKeyReadableByOthers() throws Exception {
        Path file = TestKeys.write(dir, "app.pem", TestKeys.pkcs1Pem(keys), "rw-r--r--");

        assertThatThrownBy(() -> AppKey.read(SETTING, file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(SETTING + ": " + file + " is readable by group or others (rw-r--r--); run chmod 600 " + file);
    }

    @Test
    void refusesEncryptedPkcs8Key() throws Exception {
        Path file = TestKeys.write(dir, "app.pem", TestKeys.pem("ENCRYPTED PRIVATE KEY", new byte[] {48, 3, 2, 1, 0}), "rw-------");

        assertThatThrownBy(() -> AppKey.read(SETTING, file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(SETTING + ": " + file + " is encrypted; the agent needs it unencrypted: "
                        + "openssl pkey -in <key> -out <new key>, then chmod 600 the new key");
    }

    @Test
    void refusesEncryptedTraditionalKey() throws Exception {
        String pem = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"
                + "AAAA\n-----END RSA PRIVATE KEY-----\n";
        Path file = TestKeys.write(dir, "app.pem", pem, "rw-------");

        assertThatThrownBy(() -> AppKey.read(SETTING, file)).hasMessageContaining(" is encrypted; ");
    }

    @Test
    void refusesFileThatIsNotAKey() throws Exception {
        Path file = TestKeys.write(dir, "app.pem", "ssh-rsa AAAAB3Nza me@host\n", "rw-------");

        assertThatThrownBy(() -> AppKey.read(SETTING, file))
                .hasMessage(SETTING + ": " + file + " is not a PEM private key; expected BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY, "
                        + "as downloaded from the GitHub App's settings");
    }

    @Test
    void namesMissingFile() {
        Path file = dir.resolve("nope.pem");

        assertThatThrownBy(() -> AppKey.read(SETTING, file))
                .hasMessage(SETTING + ": " + file + " does not exist or is not a file; expected the GitHub App's private key (.pem)");
    }
}
