package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.api.Secret;
import io.sensorreader.http.TestCollector.Device;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code sensor-reader register} against the in-process collector over loopback. */
class RegisterCommandTest extends CollectorFixture {

    Path tokenFile;

    @BeforeEach
    void locateTokenFile() {
        tokenFile = data.resolve("token");
    }

    private CommandRun register(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "register";
        System.arraycopy(args, 0, all, 1, args.length);
        return CommandRun.of(env, work, all);
    }

    private String storedToken() throws IOException {
        String text = Files.readString(tokenFile);
        assertThat(text).endsWith("\n");
        return text.strip();
    }

    private void assertNowhere(String token, CommandRun... runs) {
        for (CommandRun run : runs) {
            assertThat(run.out()).doesNotContain(token);
            assertThat(run.err()).doesNotContain(token);
        }
        assertThat(log.lines()).noneMatch(line -> line.contains(token));
    }

    private static String unusedPortUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void registersStoresTheTokenOwnerOnlyAndPrintsDeviceCollectorAndFingerprint() throws IOException {
        CommandRun run = register(env());

        String token = storedToken();
        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly(
                "device:       pi-cli",
                "collector:    " + collector.url(),
                "token:        " + Secret.of(token).fingerprint() + " (fingerprint; stored in " + tokenFile + ")",
                "collector id: 1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        assertThat(collector.devices()).containsExactly(new Device(1, "pi-cli", "Pump house"));
        assertThat(collector.registrations()).isEqualTo(1);
        assertNowhere(token, run);
    }

    @Test
    void secondRegisterKeepsTheStoredTokenAndSendsNothing() throws IOException {
        CommandRun first = register(env());
        String token = storedToken();

        CommandRun second = register(env());

        assertThat(second.code()).as("%s", second).isZero();
        assertThat(second.err()).isEmpty();
        assertThat(second.outLines()).containsExactly(
                "device:       pi-cli",
                "collector:    " + collector.url(),
                "token:        " + Secret.of(token).fingerprint() + " (fingerprint; stored in " + tokenFile + ")",
                "(already registered; --force registers again)");
        assertThat(storedToken()).isEqualTo(token);
        assertThat(collector.requests("/devices")).hasSize(1);
        assertNowhere(token, first, second);
    }

    @Test
    void forceRegistersAgainSendingTheOldTokenAndStoresTheNewOne() throws IOException {
        CommandRun first = register(env());
        String old = storedToken();

        CommandRun again = register(env(), "--force");

        String renewed = storedToken();
        assertThat(again.code()).as("%s", again).isZero();
        assertThat(again.err()).isEmpty();
        assertThat(renewed).isNotEqualTo(old);
        assertThat(again.outLines()).containsExactly(
                "device:       pi-cli",
                "collector:    " + collector.url(),
                "token:        " + Secret.of(renewed).fingerprint() + " (fingerprint; stored in " + tokenFile + ")",
                "collector id: 1");
        assertThat(collector.registrations()).isEqualTo(2);
        assertThat(collector.devices()).containsExactly(new Device(1, "pi-cli", "Pump house"));
        assertThat(collector.requests("/devices").get(1).header("X-API-KEY")).contains(old);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        assertNowhere(old, first, again);
        assertNowhere(renewed, first, again);
    }

    @Test
    void showTokenPrintsTheTokenItselfAsTheLastLine() throws IOException {
        CommandRun run = register(env(), "--show-token");

        String token = storedToken();
        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.outLines()).hasSize(5);
        assertThat(run.outLines().get(4)).isEqualTo(token);
        assertThat(run.err()).isEmpty();
        assertThat(log.lines()).noneMatch(line -> line.contains(token));
    }

    @Test
    void tokenFromTheEnvironmentIsNamedAsSuchAndNotClaimedToBeStored() {
        String token = collector.register("pi-cli", "Pump house");

        CommandRun run = register(env("SENSOR_READER_TOKEN", token));

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.outLines()).containsExactly(
                "device:       pi-cli",
                "collector:    " + collector.url(),
                "token:        " + Secret.of(token).fingerprint() + " (fingerprint; from SENSOR_READER_TOKEN)",
                "(already registered; --force registers again)");
        assertThat(tokenFile).doesNotExist();
        assertNowhere(token, run);
    }

    @Test
    void forceWithATokenInTheEnvironmentWarnsThatTheSettingWins() throws IOException {
        String token = collector.register("pi-cli", "Pump house");

        CommandRun run = register(env("SENSOR_READER_TOKEN", token), "--force");

        String renewed = storedToken();
        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.outLines()).containsExactly(
                "device:       pi-cli",
                "collector:    " + collector.url(),
                "token:        " + Secret.of(renewed).fingerprint() + " (fingerprint; stored in " + tokenFile + ")",
                "collector id: 1");
        assertThat(run.errLines()).containsExactly("register: SENSOR_READER_TOKEN (fingerprint "
                + Secret.of(token).fingerprint() + ") no longer works and wins over " + tokenFile
                + "; remove it from the environment or .env");
        assertNowhere(token, run);
        assertNowhere(renewed, run);
    }

    @Test
    void tokenThatCannotBeStoredIsAnErrorAndShownOnlyWhenAsked() throws IOException {
        Files.createDirectories(tokenFile.resolve("in-the-way"));

        CommandRun quiet = register(env());
        CommandRun shown = register(env(), "--show-token");

        for (CommandRun run : List.of(quiet, shown)) {
            assertThat(run.code()).as("%s", run).isEqualTo(78);
            assertThat(run.outLines()).startsWith("device:       pi-cli", "collector:    " + collector.url());
            assertThat(run.outLines().get(2)).endsWith(" (fingerprint; NOT stored)");
            assertThat(run.errLines()).containsExactly("register: the collector issued a token but it cannot be stored in "
                    + tokenFile + "; check SENSOR_READER_DATA_DIR and its permissions, then run 'sensor-reader register --force'");
        }
        assertThat(quiet.outLines()).hasSize(4);
        assertThat(shown.outLines()).hasSize(5);
        String token = shown.outLines().get(4);
        assertThat(Secret.of(token).fingerprint()).isEqualTo(shown.outLines().get(2).substring(14, 22));
        assertThat(quiet.out() + quiet.err() + shown.err()).doesNotContain(token);
        assertThat(log.lines()).noneMatch(line -> line.contains(token));
    }

    @Test
    void unreachableCollectorExits69AndStoresNothing() throws IOException {
        String url = unusedPortUrl();

        CommandRun run = register(env("SENSOR_READER_COLLECTOR_HOST", url));

        assertThat(run.code()).as("%s", run).isEqualTo(69);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("register: /devices: connection to " + url.substring("http://".length())
                + " refused or unreachable; check SENSOR_READER_COLLECTOR_HOST and the network, then try again");
        assertThat(tokenFile).doesNotExist();
    }

    @Test
    void collectorErrorExits69() {
        collector.failNext(1, 503);

        CommandRun run = register(env());

        assertThat(run.code()).as("%s", run).isEqualTo(69);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("register: /devices answered 503: Internal server error; try again later");
        assertThat(tokenFile).doesNotExist();
    }

    @Test
    void refusedRegistrationIsABadSettingAndExits78() {
        collector.answerGarbageNext(1, 422, "application/json", "{\"error\": \"Description can't be blank\"}");

        CommandRun run = register(env());

        assertThat(run.code()).as("%s", run).isEqualTo(78);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("register: /devices answered 422: Description can't be blank"
                + " (check SENSOR_READER_DEVICE_ID and SENSOR_READER_DESCRIPTION)");
        assertThat(tokenFile).doesNotExist();
    }

    @Test
    void badCollectorUrlExits78NamingTheVariableTheValueAndTheExpectation() {
        CommandRun run = register(env("SENSOR_READER_COLLECTOR_HOST", "collector:3000"));

        assertThat(run.code()).as("%s", run).isEqualTo(78);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(
                "environment: SENSOR_READER_COLLECTOR_HOST is 'collector:3000'; expected an http:// or https:// URL with a host,"
                        + " e.g. http://collector.example:3000",
                "sensor-reader: 1 configuration problem; nothing was started");
        assertThat(collector.requests()).isEmpty();
    }

    @Test
    void exporterThatDoesNotRegisterExits78() {
        CommandRun run = register(env("SENSOR_READER_EXPORTERS", "log"));

        assertThat(run.code()).as("%s", run).isEqualTo(78);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(
                "environment: SENSOR_READER_EXPORTERS is 'log'; expected a first exporter that registers devices, e.g. http",
                "sensor-reader: 1 configuration problem; nothing was started");
        assertThat(collector.requests()).isEmpty();
    }

    @Test
    void helpListsTheExitCodes() {
        CommandRun run = CommandRun.of(Map.of(), work, "register", "--help");

        assertThat(run.code()).as("%s", run).isZero();
        assertThat(run.out()).contains("--force", "--show-token", "Exit codes:");
        assertThat(List.of(0, 64, 69, 70, 78)).allSatisfy(code -> assertThat(run.out()).containsPattern("(?m)^\\s+" + code + "\\s"));
    }
}
