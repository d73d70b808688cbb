package io.sensorreader.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a command runs in: the environment, the working directory, the host name. Tests pass
 * their own; {@link Main#main(String[])} passes the real ones.
 */
record Invocation(Map<String, String> environment, Path workingDir, String hostName) {

    /**
     * The settings with the command line's overrides, and the log level and format applied.
     *
     * @throws io.sensorreader.core.ConfigProblems every bad setting
     */
    /**
     * The agent's version from the jar manifest ({@code Implementation-Version}); {@code dev}
     * outside a jar. Here rather than in {@link VersionProvider}, whose picocli interface {@code run}
     * would otherwise load.
     */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    io.sensorreader.core.Settings settings(Map<String, String> overrides) {
        io.sensorreader.core.Settings settings = io.sensorreader.core.Settings.load(environment, overrides, workingDir,
                hostName);
        LogLevels.apply(settings);
        return settings;
    }
}
