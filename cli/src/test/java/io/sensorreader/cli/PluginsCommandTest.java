package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginsCommandTest {

    @TempDir
    Path dir;

    private static void jarWithoutServiceFile(Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("com/acme/Util.class"));
            out.write(new byte[] {1});
            out.closeEntry();
        }
    }

    @Test
    void listsWhatIsInstalledWithItsJarAndTheJarsSkippedWithTheReason() throws IOException {
        Files.createDirectories(dir.resolve("plugins"));
        jarWithoutServiceFile(dir.resolve("plugins/acme-1.0.0.jar"));
        jarWithoutServiceFile(dir.resolve("plugins/acme-1.1.0.jar"));

        CommandRun run = CommandRun.of(Map.of(), dir, "plugins");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.outLines().get(0)).isEqualTo("plugins folder: " + dir.toRealPath().resolve("plugins"));
        assertThat(run.outLines().get(1)).matches("KIND +NAME +FROM +VERSION");
        assertThat(run.outLines()).anyMatch(l -> l.matches("sensor type +float +sensor-gpio +.+"))
                .anyMatch(l -> l.matches("exporter +http +exporter-http +.+"))
                .anyMatch(l -> l.matches("spool +lmdb +exporter-lmdb +.+"))
                .anyMatch(l -> l.matches("update strategy +release +updater-github +.+"));
        assertThat(run.out()).contains("""
                skipped:
                  plugins/acme-1.0.0.jar: acme 1.1.0 is also there (plugins/acme-1.1.0.jar); kept the newest, skipped 1.0.0
                  plugins/acme-1.1.0.jar: no service file (META-INF/services/io.sensorreader.api.SensorFactory or\
                 io.sensorreader.api.ExporterFactory); skipped it
                """);
    }

    @Test
    void aMisspeltKeyInTheSensorFileIsAConfigErrorNamingItAndTheNearestKey() throws IOException {
        Files.writeString(dir.resolve("sensor_config.yaml"), """
                sensors:
                  io:
                    float_sensors:
                      - id: tank_top
                        description: Water tank top level
                        pin: 17
                        invertd: true
                """);

        CommandRun run = CommandRun.of(Map.of(), dir, "run", "--once", "--dry-run");

        assertThat(run.code()).isEqualTo(78);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(
                "sensor_config.yaml: sensor 'tank_top' (float): unknown key 'invertd'; did you mean 'inverted'?"
                        + " (keys of this type: debounce, description, id, inverted, pin, read_timeout, type)",
                "sensor-reader: 1 configuration problem; nothing was started");
    }
}
