package io.sensorreader.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorreader.api.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** python-dotenv's rules, case by case (what the Python agent's settings meant). */
class DotEnvTest {

    @TempDir
    Path dir;

    private static Map<String, String> parse(String text) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        DotEnv.parse(text, "test.env").forEach(e -> values.put(e.key(), e.value()));
        return values;
    }

    private static String error(String text) {
        try {
            DotEnv.parse(text, "test.env");
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + text);
    }

    @Test
    void readsPlainValuesTrimmed() {
        assertThat(parse("A=1\n  B = two words  \nC=\n")).containsExactly(
                Map.entry("A", "1"), Map.entry("B", "two words"), Map.entry("C", ""));
    }

    @Test
    void singleQuotesKeepEverythingButEscapedQuoteAndBackslash() {
        assertThat(parse("A='x # not a comment'\nB='a\\nb'\nC='it\\'s'\nD='c:\\\\dir'\n")).containsExactly(
                Map.entry("A", "x # not a comment"), Map.entry("B", "a\\nb"), Map.entry("C", "it's"),
                Map.entry("D", "c:\\dir"));
    }

    @Test
    void doubleQuotesDecodeEscapes() {
        assertThat(parse("A=\"a\\\"b\"\nB=\"line1\\nline2\\ttab\"\nC=\"back\\\\slash\"\nD=\"keep \\d\"\nE=\"it\\'s\"\n"))
                .containsExactly(Map.entry("A", "a\"b"), Map.entry("B", "line1\nline2\ttab"),
                        Map.entry("C", "back\\slash"), Map.entry("D", "keep \\d"), Map.entry("E", "it's"));
    }

    @Test
    void acceptsExportInFront() {
        assertThat(parse("export A=1\nexport   B='2'\nexported=3\n")).containsExactly(
                Map.entry("A", "1"), Map.entry("B", "2"), Map.entry("exported", "3"));
    }

    @Test
    void skipsFullLineComments() {
        assertThat(parse("# a comment\n   # indented\nA=1\n#B=2\n")).containsExactly(Map.entry("A", "1"));
    }

    @Test
    void dropsInlineCommentsAfterWhiteSpaceOnly() {
        assertThat(parse("A=10 # seconds\nB=a#b\nC=\"quoted\" # after a quote\nD='x'#tight\nE=tab\t# c\n"))
                .containsExactly(Map.entry("A", "10"), Map.entry("B", "a#b"), Map.entry("C", "quoted"),
                        Map.entry("D", "x"), Map.entry("E", "tab"));
    }

    @Test
    void skipsAByteOrderMark() throws IOException {
        Path file = dir.resolve("bom.env");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "SENSOR_READER_DEVICE_ID=pi-1\nSENSOR_READER_INTERVAL_SECONDS=5\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, bom.length);
        System.arraycopy(body, 0, all, bom.length, body.length);
        Files.write(file, all);
        assertThat(DotEnv.read(file)).containsExactly(Map.entry("SENSOR_READER_DEVICE_ID", "pi-1"),
                Map.entry("SENSOR_READER_INTERVAL_SECONDS", "5"));
    }

    @Test
    void refusesAnUnterminatedQuoteNamingFileAndLine() {
        assertThat(error("A=1\nB=\"open\nC=3\n")).isEqualTo(
                "test.env: line 2: the value of B opens a \" quote that is never closed; expected a closing \"");
        assertThat(error("A='open\n")).isEqualTo(
                "test.env: line 1: the value of A opens a ' quote that is never closed; expected a closing '");
    }

    @Test
    void readsMultiLineDoubleQuotedValuesAndCountsTheirLines() {
        List<DotEnv.Entry> entries = DotEnv.parse("A=\"first\nsecond\"\nB=2\nC='x\ny'\n", "test.env");
        assertThat(entries).containsExactly(new DotEnv.Entry("A", "first\nsecond", 1, 2),
                new DotEnv.Entry("B", "2", 3, 3), new DotEnv.Entry("C", "x\ny", 4, 5));
    }

    @Test
    void refusesTextAfterAClosingQuote() {
        assertThat(error("A=\"x\" y\n")).isEqualTo(
                "test.env: line 1: A has text after its closing quote ('y'); expected only a # comment there");
    }

    @Test
    void refusesALineWithoutAKey() {
        assertThat(error("A=1\n=2\n")).isEqualTo("test.env: line 2 is '=2'; expected KEY=VALUE");
    }

    @Test
    void aKeyWithoutEqualsSetsNothing() {
        assertThat(parse("LONELY\nA=1\n")).containsExactly(Map.entry("A", "1"));
    }

    @Test
    void acceptsWindowsLineEndsAndALastLineWithoutOne() {
        assertThat(parse("A=1\r\nB=\"2\"\r\nC=3")).containsExactly(
                Map.entry("A", "1"), Map.entry("B", "2"), Map.entry("C", "3"));
    }

    @Test
    void theLastOfTwoLinesForOneKeyWins() throws IOException {
        Path file = dir.resolve("twice.env");
        Files.writeString(file, "A=1\nA=2\n");
        assertThat(DotEnv.read(file)).containsExactly(Map.entry("A", "2"));
    }

    @Test
    void aMissingFileIsEmpty() {
        assertThat(DotEnv.read(dir.resolve("absent.env"))).isEmpty();
    }

    @Test
    void quoteWritesWhatParseReadsBack() {
        for (String value : List.of("plain", "http://c.example:3000/x", "two words", "it's", "a\"b", "x # y",
                "back\\slash", "line1\nline2", "", "$HOME")) {
            String line = "K=" + DotEnv.quote(value);
            assertThat(parse(line + "\n")).as(line).containsExactly(Map.entry("K", value));
        }
        assertThat(DotEnv.quote("plain")).isEqualTo("plain");
        assertThat(DotEnv.quote("two words")).isEqualTo("'two words'");
        assertThat(DotEnv.quote("it's")).isEqualTo("\"it's\"");
    }
}
