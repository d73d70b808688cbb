package io.sensorreader.core.migrate;

import io.sensorreader.core.DotEnv;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Puts settings into the text of a settings file and keeps every other line as it was (the
 * package's data-folder lines, comments, the operator's own settings): a key the file sets gets its
 * value replaced where it stands; a key the file only shows commented out ({@code #KEY=...}) is set
 * on the line after that example; any other key is added at the end.
 */
final class SettingsMerge {

    /** What the merge did to one key. */
    enum Change { REPLACED, SET, UNCHANGED }

    private final List<String> lines;
    private final boolean endsWithNewline;
    private final List<DotEnv.Entry> entries;
    private final String[] replaced;
    private final boolean[] removed;
    private final List<List<String>> after;
    private final List<String> tail = new ArrayList<>();
    private final Map<String, Change> changes = new LinkedHashMap<>();

    SettingsMerge(String text, List<DotEnv.Entry> entries) {
        this.endsWithNewline = text.isEmpty() || text.endsWith("\n");
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        this.lines = new ArrayList<>(List.of(body.split("\r?\n", -1)));
        if (endsWithNewline && !lines.isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        this.entries = entries;
        this.replaced = new String[lines.size()];
        this.removed = new boolean[lines.size()];
        this.after = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            after.add(new ArrayList<>());
        }
    }

    /** Sets {@code key} (full name, e.g. {@code SENSOR_READER_DEVICE_ID}) to {@code value}. */
    Change set(String key, String value) {
        String line = key + "=" + DotEnv.quote(value);
        DotEnv.Entry last = null;
        for (DotEnv.Entry e : entries) {
            if (e.key().equals(key)) {
                last = e;
            }
        }
        Change change;
        if (last != null) {
            if (last.value().equals(value)) {
                change = Change.UNCHANGED;
            } else {
                replaced[last.firstLine() - 1] = line;
                for (int i = last.firstLine(); i < last.lastLine(); i++) {
                    removed[i] = true;
                }
                change = Change.REPLACED;
            }
        } else {
            int example = example(key);
            if (example >= 0) {
                after.get(example).add(line);
            } else {
                tail.add(line);
            }
            change = Change.SET;
        }
        changes.put(key, change);
        return change;
    }

    /** Adds {@code #KEY=value} at the end, under {@code note}, unless the file already sets the key. */
    boolean comment(String key, String value, String note) {
        if (entries.stream().anyMatch(e -> e.key().equals(key))) {
            return false;
        }
        if (!tail.contains(note)) {
            tail.add(note);
        }
        tail.add("#" + key + "=" + DotEnv.quote(value));
        return true;
    }

    /** Whether the file (as it was) sets {@code key}. */
    boolean has(String key) {
        return entries.stream().anyMatch(e -> e.key().equals(key));
    }

    /** The keys set so far, with what happened to each. */
    Map<String, Change> changes() {
        return changes;
    }

    /** The new text; {@code header} leads the lines added at the end. */
    String text(String header) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (!removed[i]) {
                out.append(replaced[i] != null ? replaced[i] : lines.get(i)).append('\n');
            }
            for (String added : after.get(i)) {
                out.append(added).append('\n');
            }
        }
        boolean wrote = !tail.stream().allMatch(String::isEmpty);
        if (wrote) {
            if (out.length() > 0 && !out.toString().endsWith("\n\n")) {
                out.append('\n');
            }
            out.append(header).append('\n');
            tail.forEach(l -> out.append(l).append('\n'));
        }
        if (!endsWithNewline && !wrote && out.length() > 0) {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }

    private int example(String key) {
        Pattern commented = Pattern.compile("^\\s*#\\s*(export\\s+)?" + Pattern.quote(key) + "\\s*=.*");
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (commented.matcher(lines.get(i)).matches() && !inside(i + 1)) {
                found = i;
            }
        }
        return found;
    }

    /** Whether a line belongs to a multi-line value (a '#' there is not a comment). */
    private boolean inside(int line) {
        return entries.stream().anyMatch(e -> line > e.firstLine() && line <= e.lastLine());
    }
}
