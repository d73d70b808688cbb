package io.sensorreader.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a command runs in: the environment, the working directory, the host name. Tests pass
 * their own; {@link Main#main(String[])} passes the real ones.
 */
record Invocation(Map<String, String> environment, Path workingDir, String hostName) {
}
