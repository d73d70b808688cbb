package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/sensor-reader run with sh on a fake /etc/os-release and machine: it finds Java the way the
 * service does (the settings file's JAVA_HOME included) and, when the Java is missing or too old,
 * says what to install on that system.
 */
class LauncherJavaTest {

    private static final Path SOURCE = Path.of("src/dist/bin/sensor-reader").toAbsolutePath();
    private static final String BOOKWORM = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
            + "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n";
    private static final String RASPBIAN_BOOKWORM = "PRETTY_NAME=\"Raspbian GNU/Linux 12 (bookworm)\"\n"
            + "NAME=\"Raspbian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=raspbian\nID_LIKE=debian\n";
    private static final String TRIXIE = "PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\nVERSION_ID=\"13\"\n"
            + "VERSION_CODENAME=trixie\nID=debian\n";
    private static final String NOBLE = "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\n"
            + "VERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\n";
    private static final String JAMMY = "PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\nID=ubuntu\n";

    @TempDir
    Path dir;
    Path jdk17;
    Path jdk21;
    Path settings;
    Path launcher;

    record Run(int code, String err, String out) {
    }

    @BeforeEach
    void fakeJavas() throws Exception {
        jdk17 = fakeJdk("jdk17", "17.0.2");
        jdk21 = fakeJdk("jdk21", "21.0.5");
        settings = dir.resolve("sensor-reader.env");
        // The launcher in its role inside a distribution (lib/ beside bin/), as every version runs it.
        Path dist = Files.createDirectories(dir.resolve("sensor-reader-0.1.0/lib")).getParent();
        launcher = Files.copy(SOURCE, Files.createDirectories(dist.resolve("bin")).resolve("sensor-reader"));
    }

    /** A JDK folder with a release file and a java that prints its arguments. */
    private Path fakeJdk(String name, String version) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name).resolve("bin")).getParent();
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho \"" + name + " $*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private Run launch(String osRelease, String machine, Map<String, String> env) throws Exception {
        Path release = dir.resolve("os-release");
        Files.writeString(release, osRelease);
        ProcessBuilder builder = new ProcessBuilder("sh", launcher.toString(), "status").directory(dir.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("SENSOR_READER_") || k.equals("JAVA_HOME"));
        builder.environment().put("SENSOR_READER_OS_RELEASE", release.toString());
        builder.environment().put("SENSOR_READER_MACHINE", machine);
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private Run tooOld(String osRelease, String machine) throws Exception {
        Files.writeString(settings, "# the settings file\nexport JAVA_HOME=\"" + jdk17 + "\" # Bookworm's own\n");
        return launch(osRelease, machine, Map.of("SENSOR_READER_ENV_FILE", settings.toString()));
    }

    private String old() {
        return "sensor-reader: " + jdk17 + "/bin/java is Java 17; Java 21 or newer is needed. ";
    }

    private String then() {
        return "; then set JAVA_HOME to it (in " + settings + ") if it is not the java on PATH\n";
    }

    @Test
    void saysWhatToInstallOnBookwormArm64() throws Exception {
        Run run = tooOld(BOOKWORM, "aarch64");
        assertThat(run.code()).isEqualTo(69);
        assertThat(run.err()).isEqualTo(old() + "On Debian GNU/Linux 12 (bookworm) (arm64): Debian 12 has only Java 17;"
                + " install Temurin 21 from the Adoptium apt repository (apt install temurin-21-jre, see"
                + " /usr/share/doc/sensor-reader/deployment.md)" + then());
    }

    @Test
    void saysWhatToInstallOn32BitRaspberryPiOsBookworm() throws Exception {
        Run run = tooOld(RASPBIAN_BOOKWORM, "armv7l");
        assertThat(run.code()).isEqualTo(69);
        assertThat(run.err()).isEqualTo(old() + "On Raspbian GNU/Linux 12 (bookworm) (armhf): Debian 12 has no Java 21 and"
                + " Adoptium builds none for 32-bit ARM; use the 64-bit OS (arm64) where the board allows it, or Debian 13"
                + " (Trixie), whose armhf archive has openjdk-21-jre-headless, or BellSoft Liberica JRE 21 for ARM 32-bit"
                + " hard-float, unpacked by hand" + then());
    }

    @Test
    void saysWhatToInstallOnTrixieAndUbuntu() throws Exception {
        assertThat(tooOld(TRIXIE, "armv7l").err()).isEqualTo(old()
                + "On Debian GNU/Linux 13 (trixie) (armhf): sudo apt install openjdk-21-jre-headless" + then());
        assertThat(tooOld(NOBLE, "x86_64").err()).isEqualTo(old()
                + "On Ubuntu 24.04.1 LTS (amd64): sudo apt install openjdk-21-jre-headless" + then());
        assertThat(tooOld(JAMMY, "aarch64").err()).isEqualTo(old()
                + "On Ubuntu 22.04.4 LTS (arm64): sudo apt install openjdk-21-jre-headless" + then());
        assertThat(tooOld("ID=alpine\nVERSION_ID=3.20\nPRETTY_NAME=\"Alpine Linux v3.20\"\n", "riscv64").err()).isEqualTo(old()
                + "On Alpine Linux v3.20 (riscv64): install a Java 21 or newer runtime (docs/deployment.md lists one per"
                + " system)" + then());
    }

    @Test
    void saysWhatToInstallWhenThereIsNoJavaAtAll() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("sed", "tail", "head", "dirname", "readlink", "cut", "uname", "ls", "id", "cat")) {
            Path real = Files.exists(Path.of("/usr/bin", tool)) ? Path.of("/usr/bin", tool) : Path.of("/bin", tool);
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
        Run run = launch(BOOKWORM, "aarch64", Map.of("PATH", bin.toString()));
        assertThat(run.code()).isEqualTo(69);
        assertThat(run.err()).isEqualTo("sensor-reader: no Java found: JAVA_HOME is not set and java is not on PATH;"
                + " Java 21 or newer is needed. On Debian GNU/Linux 12 (bookworm) (arm64): Debian 12 has only Java 17;"
                + " install Temurin 21 from the Adoptium apt repository (apt install temurin-21-jre, see"
                + " /usr/share/doc/sensor-reader/deployment.md)\n");
    }

    @Test
    void aJavaHomeOfTheSettingsFileThatIsNoJavaIsNamedWithTheFile() throws Exception {
        Files.writeString(settings, "JAVA_HOME=/nowhere/jdk\n");
        Run run = launch(TRIXIE, "aarch64", Map.of("SENSOR_READER_ENV_FILE", settings.toString()));
        assertThat(run.code()).isEqualTo(69);
        assertThat(run.err()).isEqualTo("sensor-reader: JAVA_HOME is '/nowhere/jdk' (from " + settings + ") but"
                + " /nowhere/jdk/bin/java is not an executable; set JAVA_HOME to a Java 21 or newer. On Debian GNU/Linux"
                + " 13 (trixie) (arm64): sudo apt install openjdk-21-jre-headless\n");
    }

    @Test
    void commandsUseTheJavaHomeOfTheSettingsFileAsTheServiceDoes() throws Exception {
        Files.writeString(settings, "\uFEFFJAVA_HOME='" + jdk21 + "'\nSENSOR_READER_JAVA_OPTS=\"-Xmx48m -Dx=1\"  # more\n");
        Run run = launch(BOOKWORM, "aarch64", Map.of("SENSOR_READER_ENV_FILE", settings.toString()));
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("jdk21 ").contains(" -Xmx48m -Dx=1 ").endsWith(" io.sensorreader.cli.Main status\n");
    }

    @Test
    void theEnvironmentsJavaHomeWinsOverTheSettingsFile() throws Exception {
        Files.writeString(settings, "JAVA_HOME=" + jdk17 + "\n");
        Run run = launch(BOOKWORM, "aarch64", Map.of("SENSOR_READER_ENV_FILE", settings.toString(),
                "JAVA_HOME", jdk21.toString()));
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("jdk21 ");
    }
}
