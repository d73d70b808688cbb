package io.sensorreader.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensorFileCacheTest {

    @TempDir
    Path dir;

    private static final String FILE = """
            sensors:
              io:
                float_sensors:
                  - id: tank_top
                    description: "Tank: top ; {odd} [chars] s3:x"
                    pin: 17
                    inverted: true
                energy_sensors:
                  - {id: meter, pin: 27, pulses_per_kwh: 1000, factor: 0.5, big: 12345678901, huge: 123456789012345678901234567890, none: null}
              analog: ~
            """;

    @Test
    void whatIsReadBackIsWhatWasStoredTypesIncluded() {
        byte[] bytes = "x".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("s", "a;b:c{d}[e] é ✓\nline");
        tree.put("empty", "");
        tree.put("int", 17);
        tree.put("long", 12345678901L);
        tree.put("big", new BigInteger("123456789012345678901234567890"));
        tree.put("double", 0.1);
        tree.put("dec", new BigDecimal("1.50"));
        tree.put("yes", true);
        tree.put("no", false);
        tree.put("null", null);
        List<Object> list = new ArrayList<>(List.of(1, "two", List.of(), Map.of()));
        list.add(null);
        tree.put("list", list);

        SensorFileCache.store(dir, bytes, tree);

        Object back = SensorFileCache.load(dir, bytes).orElseThrow();
        assertThat(back).isEqualTo(tree);
        assertThat(new ArrayList<Object>(((Map<?, ?>) back).keySet())).containsExactlyElementsOf(tree.keySet());
        assertThat(((Map<?, ?>) back).get("int")).isInstanceOf(Integer.class);
        assertThat(((Map<?, ?>) back).get("long")).isInstanceOf(Long.class);
    }

    @Test
    void anyChangeToTheFileIsAMiss() {
        SensorFileCache.store(dir, "a".getBytes(StandardCharsets.UTF_8), Map.of("k", 1));

        assertThat(SensorFileCache.load(dir, "b".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(SensorFileCache.load(dir, "a".getBytes(StandardCharsets.UTF_8))).contains(Map.of("k", 1));
    }

    @Test
    void aDamagedOrTruncatedCacheIsAMissNotAnError() throws Exception {
        byte[] bytes = "a".getBytes(StandardCharsets.UTF_8);
        SensorFileCache.store(dir, bytes, Map.of("sensors", List.of(Map.of("id", "x"))));
        Path cache = dir.resolve(SensorFileCache.NAME);
        String good = Files.readString(cache);

        for (String bad : List.of(good.substring(0, good.length() - 2), good + "n", good.replace("{1;", "{9;"),
                good.replace("s2:", "s999:"), good.replace("{1;", "{-1;"), good.replace("{1;", "?"),
                good.substring(0, good.indexOf("\n", good.indexOf("\n") + 1) + 1) + "[1;".repeat(1000) + "n")) {
            Files.writeString(cache, bad);
            assertThat(SensorFileCache.load(dir, bytes)).as(bad).isEmpty();
        }
    }

    @Test
    void aRestartWithTheSameFileDoesNotParseItAndGetsTheSameSections() throws Exception {
        Path file = dir.resolve("sensor_config.yaml");
        Files.writeString(file, FILE);
        Path data = Files.createDirectory(dir.resolve("data"));

        SensorFile.Sections first = SensorFile.read(file, "sensor_config.yaml", data);
        java.lang.ref.WeakReference<ClassLoader> parsedWith = YamlFiles.lastLoader;
        SensorFile.Sections second = SensorFile.read(file, "sensor_config.yaml", data);

        assertThat(YamlFiles.lastLoader).as("no second parse").isSameAs(parsedWith);
        assertThat(second).isEqualTo(first);
        assertThat(first.sections()).hasSize(2);
        assertThat(first.sections().get(1)).containsEntry("big", 12345678901L).containsEntry("factor", 0.5)
                .containsEntry("type", "energy").containsEntry("none", null);

        Files.writeString(file, FILE.replace("pin: 17", "pin: 22"));
        SensorFile.Sections changed = SensorFile.read(file, "sensor_config.yaml", data);
        assertThat(YamlFiles.lastLoader).as("a changed file is parsed").isNotSameAs(parsedWith);
        assertThat(changed.sections().get(0)).containsEntry("pin", 22);
    }
}
