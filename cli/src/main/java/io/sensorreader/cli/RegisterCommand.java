package io.sensorreader.cli;

import io.sensorreader.api.Registration;
import io.sensorreader.api.Secret;
import io.sensorreader.core.ConfigProblems;
import io.sensorreader.core.Settings;
import io.sensorreader.core.Shipping;
import io.sensorreader.core.TokenKeeper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sensor-reader register}: provisions the device with the collector and stores its token. */
@Command(name = "register", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Register this device with the collector (POST /devices) and store its token in the data folder"
                + " (file 'token', mode 0600). A device that already has a token is left as it is unless --force."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_USAGE,
            "69:the collector cannot be reached or refused the registration", ExitCodes.HELP_INTERNAL, ExitCodes.HELP_CONFIG})
final class RegisterCommand implements Callable<Integer> {

    private final Invocation invocation;

    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions shared;

    @Option(names = "--force", description = "Register again even with a stored token; the old token stops working.")
    boolean force;

    @Option(names = "--show-token", description = "Print the token itself on stdout (for provisioning scripts).")
    boolean showToken;

    RegisterCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        Settings settings = invocation.settings(shared.overrides());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Shipping shipping = Shipping.open(settings, VersionProvider.version(), Clock.systemUTC(),
                Shipping.Need.COLLECTOR)) {
            TokenKeeper keeper = shipping.keeper().orElse(null);
            if (keeper == null) {
                throw new ConfigProblems(List.of(settings.view().invalid("EXPORTERS",
                        "a first exporter that registers devices, e.g. http").getMessage()));
            }
            Registration outcome = keeper.registerNow(force);
            return switch (outcome) {
                case Registration.Registered r -> {
                    Path tokenFile = settings.dataDir().resolve(Shipping.TOKEN_FILE);
                    boolean fromSetting = settings.token().filter(r.token()::equals).isPresent();
                    // The keeper only logs a failed write; a token that is not on disk is lost at exit.
                    boolean stored = fromSetting || stored(tokenFile).filter(r.token()::equals).isPresent();
                    out.println("device:       " + settings.deviceId());
                    out.println("collector:    " + shipping.destination());
                    out.println("token:        " + r.token().fingerprint() + (fromSetting
                            ? " (fingerprint; from SENSOR_READER_TOKEN)"
                            : stored ? " (fingerprint; stored in " + tokenFile + ")" : " (fingerprint; NOT stored)"));
                    if (!r.collectorId().isEmpty()) {
                        out.println("collector id: " + r.collectorId());
                    } else if (!force) {
                        out.println("(already registered; --force registers again)");
                    }
                    if (showToken) {
                        out.println(r.token().reveal());
                    }
                    if (!stored) {
                        err.println("register: the collector issued a token but it cannot be stored in " + tokenFile
                                + "; check SENSOR_READER_DATA_DIR and its permissions, then run 'sensor-reader register --force'");
                        yield ExitCodes.CONFIG;
                    }
                    settings.token().filter(configured -> !fromSetting).ifPresent(stale -> err.println(
                            "register: SENSOR_READER_TOKEN (fingerprint " + stale.fingerprint() + ") no longer works and wins over "
                            + tokenFile + "; remove it from the environment or .env"));
                    yield ExitCodes.OK;
                }
                case Registration.Failed f -> {
                    err.println("register: " + f.reason() + (f.permanent()
                            ? " (check SENSOR_READER_DEVICE_ID and SENSOR_READER_DESCRIPTION)"
                            : f.status() == 0 ? "; check SENSOR_READER_COLLECTOR_HOST and the network, then try again"
                            : "; try again later"));
                    yield f.permanent() ? ExitCodes.CONFIG : ExitCodes.UNAVAILABLE;
                }
            };
        }
    }

    /** The token in the file, if it can be read. */
    private static Optional<Secret> stored(Path tokenFile) {
        try {
            String text = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(Secret.of(text));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
