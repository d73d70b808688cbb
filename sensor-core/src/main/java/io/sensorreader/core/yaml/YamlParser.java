package io.sensorreader.core.yaml;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Parses one YAML file into plain JDK values (maps, lists, strings, numbers, booleans, null) with
 * Jackson. Not for plugins: {@link io.sensorreader.core.YamlFiles} loads this class and Jackson in a
 * class loader of their own, dropped after the parse, so that neither stays loaded in a running
 * agent. Only JDK types cross that boundary, hence the array.
 *
 * <p>Returns {@code {"tree", value}}, {@code {"yaml", detail, line}} (line 0 when unknown) for a
 * file that is not YAML, or {@code {"io", detail}} for one that cannot be read.
 */
public final class YamlParser implements Function<Path, Object[]> {

    @Override
    public Object[] apply(Path file) {
        try {
            return new Object[] {"tree", new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class)};
        } catch (JacksonException e) {
            String detail = e.getOriginalMessage() == null ? e.getMessage() : e.getOriginalMessage();
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            return new Object[] {"yaml", detail == null ? e.getClass().getSimpleName() : detail, line};
        } catch (IOException e) {
            return new Object[] {"io", String.valueOf(e.getMessage())};
        }
    }
}
