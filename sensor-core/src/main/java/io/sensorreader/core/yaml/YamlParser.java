package io.sensorreader.core.yaml;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Parses one YAML document, given as its bytes, into plain JDK values (maps, lists, strings, numbers, booleans, null) with
 * Jackson's YAML parser. Not for plugins: {@link io.sensorreader.core.YamlFiles} loads this class and
 * the parser in a class loader of their own, dropped after the parse, so that neither stays loaded
 * in a running agent. Only JDK types cross that boundary, hence the array.
 *
 * <p>The tree is built from the parser's tokens as jackson-databind's untyped reading builds it
 * ({@code Integer}, {@code Long} or {@code BigInteger} by size, {@code Double}, the last of two equal
 * keys wins, only the first document is read), without loading databind: on a first start, with no
 * class-data-sharing archive yet, databind's classes were most of the parse's 0.3 s.
 *
 * <p>Returns {@code {"tree", value}}, {@code {"yaml", detail, line}} (line 0 when unknown) for a
 * document that is not YAML, or {@code {"io", detail}} when the parser fails otherwise.
 */
public final class YamlParser implements Function<byte[], Object[]> {

    @Override
    public Object[] apply(byte[] yaml) {
        try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
            JsonToken first = parser.nextToken();
            return new Object[] {"tree", first == null ? null : value(parser, first)};
        } catch (JacksonException e) {
            String detail = e.getOriginalMessage() == null ? e.getMessage() : e.getOriginalMessage();
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            return new Object[] {"yaml", detail == null ? e.getClass().getSimpleName() : detail, line};
        } catch (IOException e) {
            return new Object[] {"io", String.valueOf(e.getMessage())};
        }
    }

    private static Object value(JsonParser p, JsonToken token) throws IOException {
        if (token == null) {
            throw new JsonParseException(p, "the document ends in the middle of a value");
        }
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String key = p.currentName();
                    map.put(key, value(p, p.nextToken()));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    list.add(value(p, t));
                }
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case VALUE_EMBEDDED_OBJECT -> p.getEmbeddedObject();
            default -> throw new JsonParseException(p, "unexpected " + token);
        };
    }
}
