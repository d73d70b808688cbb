package io.sensorreader.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest ({@code Implementation-Version}); {@code dev} outside a jar. */
final class VersionProvider implements IVersionProvider {

    static String version() {
        return Invocation.version();
    }

    @Override
    public String[] getVersion() {
        return new String[] {"sensor-reader " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
