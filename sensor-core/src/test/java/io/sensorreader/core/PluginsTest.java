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

    private void floatJar(String name) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/services/io.sensorreader.api.ExporterFactory",
                Jars.text("io.sensorreader.core.LoaderRecordingExporterFactory\n"));
        for (String type : java.util.List.of("LoaderRecordingExporterFactory", "LoaderRecordingExporter")) {
            entries.put("io/sensorreader/core/" + type + ".class", Jars.classBytes("io.sensorreader.core." + type));
        }
        Jars.write(dir.resolve("plugins/" + name), entries);
    }

    @Test
    void ofTwoVersionsOfOnePluginLoadsTheNewestAndSaysSo() throws IOException {
        Files.createDirectories(dir.resolve("plugins"));
        floatJar("recorder-1.0.0.jar");
        floatJar("recorder-1.10.0.jar");
        floatJar("recorder-1.9.2.jar");
        try (Plugins plugins = discover()) {
            assertThat(plugins.problems()).filteredOn(p -> p.startsWith("plugins/")).containsExactly(
                    "plugins/recorder-1.0.0.jar: recorder 1.10.0 is also there (plugins/recorder-1.10.0.jar);"
                            + " kept the newest, skipped 1.0.0",
                    "plugins/recorder-1.9.2.jar: recorder 1.10.0 is also there (plugins/recorder-1.10.0.jar);"
                            + " kept the newest, skipped 1.9.2");
            Object factory = plugins.exporterFactories().get("loader-recorder");
            assertThat(plugins.sourceOf(factory)).isEqualTo("plugins/recorder-1.10.0.jar");
            assertThat(plugins.versionOf(factory)).isEqualTo("1.10.0");
            assertThat(plugins.found()).contains(new Plugins.Found("exporter", "loader-recorder",
                    "plugins/recorder-1.10.0.jar", "1.10.0"));
        }
    }

    @Test
    void reportsAJarWithoutAServiceFile() throws IOException {
        Files.createDirectories(dir.resolve("plugins"));
        Jars.write(dir.resolve("plugins/lib-only.jar"), Map.of("com/acme/Util.class", new byte[] {1}));
        try (Plugins plugins = discover()) {
            assertThat(plugins.problems()).contains("plugins/lib-only.jar: no service file"
                    + " (META-INF/services/io.sensorreader.api.SensorFactory or io.sensorreader.api.ExporterFactory);"
                    + " skipped it");
        }
    }

    @Test
    void comparesVersionsNumberByNumberWithAReleaseAfterItsPreReleases() {
        assertThat(JarVersions.compare("1.10.0", "1.9.2")).isPositive();
        assertThat(JarVersions.compare("1.1.0", "1.1.0-SNAPSHOT")).isPositive();
        assertThat(JarVersions.compare("2.0", "2.0.0")).isZero();
    }
}
