package io.sensorreader.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorreader.api.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFileBecomesPlainJdkValuesParsedInALoaderOfItsOwn() throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "sensors:\n  - id: a\n    pin: 17\n    factor: 1.5\n    on: true\n    none:\n");

        Object tree = YamlFiles.read(Files.readAllBytes(file), "s.yaml", "a list");

        java.util.Map<String, Object> sensor = new java.util.LinkedHashMap<>();
        sensor.put("id", "a");
        sensor.put("pin", 17);
        sensor.put("factor", 1.5);
        sensor.put("on", true);
        sensor.put("none", null);
        assertThat(tree).isEqualTo(Map.of("sensors", List.of(sensor)));
        assertThat(((Map<?, ?>) tree).getClass().getClassLoader()).as("a JDK map").isNull();
        ClassLoader loader = YamlFiles.lastLoader.get();
        assertThat(loader).isNotNull().isNotSameAs(YamlFiles.class.getClassLoader());
        assertThat(loader.getName()).isEqualTo("yaml-parser");
    }

    @Test
    void theTreeIsTheOneJacksonDatabindReadsFromTheSameFile() throws Exception {
        List<String> docs = List.of(
                "sensors:\n  io:\n    float_sensors:\n      - {id: a, description: 'Float: a', pin: 17, inverted: true}\n"
                        + "    energy_sensors: []\n  analog:\n    pressure_sensors:\n      - id: p\n"
                        + "        channel: 0\n        min_pressure: -1.5\n        max_pressure: 1e3\n        unit: bar\n",
                "sensors:\n  - id: x\n    type: acme\n    n: 12345678901\n    big: 123456789012345678901234567890\n"
                        + "    f: 0.1\n    s: '017'\n    o: 017\n    yes_no: yes\n    empty: ''\n    nil: ~\n"
                        + "    nested: [[1, 2], {k: v}, []]\n    dup: 1\n    dup: 2\n",
                "sensors: []\n---\nsecond: document\n",
                "- 1\n- two\n- 3.5\n",
                "plain scalar\n");
        com.fasterxml.jackson.databind.ObjectMapper databind = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        for (String doc : docs) {
            Path file = dir.resolve("doc.yaml");
            Files.writeString(file, doc);
            assertThat(YamlFiles.read(Files.readAllBytes(file), "doc.yaml", "x")).as(doc)
                    .isEqualTo(databind.readValue(file.toFile(), Object.class));
        }
    }

    @Test
    void theParsersLoaderCanBeCollectedAfterTheParse() throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "sensors: []\n");
        YamlFiles.read(Files.readAllBytes(file), "s.yaml", "a list");
        java.lang.ref.WeakReference<ClassLoader> loader = YamlFiles.lastLoader;
        assertThat(loader.get()).isNotNull();

        for (int i = 0; i < 20 && loader.get() != null; i++) {
            System.gc();
        }

        assertThat(loader.get()).as("nothing keeps the parser's class loader").isNull();
    }

    @Test
    void notYamlNamesTheFileTheLineAndWhatWasExpected() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "sensors:\n  - id: a\n   pin: [17\n");

        assertThatThrownBy(() -> YamlFiles.read(Files.readAllBytes(file), "bad.yaml", "a 'sensors:' list"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("bad.yaml: not valid YAML at line ")
                .hasMessageEndingWith("; expected a 'sensors:' list");
    }

    @Test
    void aMissingSensorFileIsCannotBeRead() {
        assertThatThrownBy(() -> SensorFile.read(dir.resolve("gone.yaml"), "gone.yaml", null))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gone.yaml: cannot be read (");
    }
}
