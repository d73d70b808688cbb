package io.sensorreader.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginsTest {

    @TempDir
    Path dir;

    private Plugins discover() {
        return Plugins.discover(getClass().getClassLoader(), dir.resolve("plugins"));
    }

    @Test
    void findsFactoriesOnTheClassPathAndSkipsOneWhoseConstructorThrows() {
        try (Plugins plugins = discover()) {
            assertThat(plugins.sensorFactories()).containsKey("test-float").doesNotContainKey("throwing");
            assertThat(plugins.exporterFactories()).containsKey("log");
            assertThat(plugins.sourceOf(plugins.sensorFactories().get("test-float"))).isEqualTo("class path");
            assertThat(plugins.problems()).singleElement().asString()
                    .startsWith("class path: a provider of SensorFactory could not be loaded (ServiceConfigurationError: "
                            + "io.sensorreader.api.SensorFactory: Provider io.sensorreader.core.ThrowingFactory"
                            + " could not be instantiated")
                    .contains("caused by IllegalStateException: cannot start: no licence")
                    .endsWith("; skipped it");
        }
    }

    @Test
    void aMissingPluginsFolderMeansNoPlugins() {
        try (Plugins plugins = discover()) {
            assertThat(plugins.problems()).noneMatch(p -> p.startsWith("plugins"));
            assertThat(plugins.sensorFactories()).containsOnlyKeys("test-float");
        }
    }

    @Test
    void skipsAJarThatIsNotAJar() throws IOException {
        Files.createDirectories(dir.resolve("plugins"));
        Files.writeString(dir.resolve("plugins/broken.jar"), "this is not a zip file");
        try (Plugins plugins = discover()) {
            assertThat(plugins.problems()).contains(
                    "plugins/broken.jar: not a readable jar (zip END header not found); skipped it");
            assertThat(plugins.sensorFactories()).containsKey("test-float");
        }
    }

    @Test
    void skipsAPluginThatClaimsATypeAlreadyTaken() throws IOException {
        Files.createDirectories(dir.resolve("plugins"));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/services/io.sensorreader.api.SensorFactory",
                Jars.text("io.sensorreader.core.TestFloatFactory\n"));
        entries.put("io/sensorreader/core/TestFloatFactory.class", Jars.classBytes("io.sensorreader.core.TestFloatFactory"));
        entries.put("io/sensorreader/core/TestFloatFactory$1.class",
                Jars.classBytes("io.sensorreader.core.TestFloatFactory$1"));
        Jars.write(dir.resolve("plugins/acme.jar"), entries);
        try (Plugins plugins = discover()) {
            assertThat(plugins.problems()).contains(
                    "plugins/acme.jar: type 'test-float' is already provided by class path; skipped acme.jar's factory");
            assertThat(plugins.sourceOf(plugins.sensorFactories().get("test-float"))).isEqualTo("class path");
        }
    }

    @Test
    void aPluginSeesOnlyTheSpiAndSlf4jOfTheAgent() throws IOException {
        Files.createDirectories(dir.resolve("plugins"));
        // The service file names a class that exists only on the agent's class path, outside the SPI.
        Jars.write(dir.resolve("plugins/peeking.jar"), Map.of("META-INF/services/io.sensorreader.api.ExporterFactory",
                Jars.text("io.sensorreader.core.LogExporterFactory\n")));
        try (Plugins plugins = discover()) {
            assertThat(plugins.problems()).anySatisfy(p -> assertThat(p).startsWith(
                    "plugins/peeking.jar: a provider of ExporterFactory could not be loaded (ServiceConfigurationError: "
                            + "io.sensorreader.api.ExporterFactory: Provider io.sensorreader.core.LogExporterFactory"
                            + " not found"));
            assertThat(plugins.sourceOf(plugins.exporterFactories().get("log"))).isEqualTo("class path");
        }
    }
}
