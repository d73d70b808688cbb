package io.sensorreader.core.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorreader.core.DotEnv;
import org.junit.jupiter.api.Test;

class SettingsMergeTest {

    private static SettingsMerge merge(String text) {
        return new SettingsMerge(text, DotEnv.parse(text, "test.env"));
    }

    @Test
    void replacesAValueWhereItStandsAndKeepsEveryOtherLine() {
        SettingsMerge merge = merge("# top\nA=1 # inline\nB=2\n");
        assertThat(merge.set("A", "9")).isEqualTo(SettingsMerge.Change.REPLACED);
        assertThat(merge.set("B", "2")).isEqualTo(SettingsMerge.Change.UNCHANGED);
        assertThat(merge.text("# added")).isEqualTo("# top\nA=9\nB=2\n");
    }

    @Test
    void setsAKeyAfterItsCommentedExampleElseAtTheEnd() {
        SettingsMerge merge = merge("#A=example\nB=2\n");
        assertThat(merge.set("A", "1")).isEqualTo(SettingsMerge.Change.SET);
        merge.set("C", "two words");
        assertThat(merge.text("# added")).isEqualTo("#A=example\nA=1\nB=2\n\n# added\nC='two words'\n");
    }

    @Test
    void replacesAMultiLineValueWhole() {
        SettingsMerge merge = merge("A=\"one\n#B=not a comment\ntwo\"\nB=2\n");
        merge.set("A", "x");
        merge.set("B", "3");
        assertThat(merge.text("# added")).isEqualTo("A=x\nB=3\n");
    }

    @Test
    void commentsOutOnlyWhatTheFileDoesNotSet() {
        SettingsMerge merge = merge("R=mine\n");
        assertThat(merge.comment("R", "theirs", "# note")).isFalse();
        assertThat(merge.comment("S", "theirs", "# note")).isTrue();
        assertThat(merge.text("# added")).isEqualTo("R=mine\n\n# added\n# note\n#S=theirs\n");
    }

    @Test
    void anEmptyFileGetsJustTheAddedBlock() {
        SettingsMerge merge = merge("");
        merge.set("A", "1");
        assertThat(merge.text("# added")).isEqualTo("# added\nA=1\n");
    }
}
