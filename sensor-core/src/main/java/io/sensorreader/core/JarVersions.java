package io.sensorreader.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plugin jar versions. A jar named {@code <name>-<version>.jar} (the version starting with a digit)
 * is version {@code <version>} of plugin {@code <name>}; of several versions of one plugin in the
 * folder only the newest is loaded, the others are reported. Versions compare number by number
 * ({@code 1.10.0} after {@code 1.9.2}); a release after its own pre-releases ({@code 1.1.0} after
 * {@code 1.1.0-SNAPSHOT} or {@code 1.1.0-rc1}).
 */
final class JarVersions {

    private static final Pattern NAMED = Pattern.compile("(.+?)-(\\d[0-9A-Za-z.+_-]*)\\.jar");

    private JarVersions() {
    }

    /** The version in a jar's file name, if it has one. */
    static Optional<String> fromName(String fileName) {
        Matcher m = NAMED.matcher(fileName);
        return m.matches() ? Optional.of(m.group(2)) : Optional.empty();
    }

    /** The jar's {@code Implementation-Version}, else the version in its name, else {@code ""}. */
    static String of(JarFile jar, String fileName) throws IOException {
        Manifest manifest = jar.getManifest();
        String version = manifest == null ? null : manifest.getMainAttributes().getValue("Implementation-Version");
        return version != null && !version.isBlank() ? version.strip() : fromName(fileName).orElse("");
    }

    /**
     * The jars to load: every jar, except older versions of a plugin whose newer version is there too.
     *
     * @param jars sorted by name
     * @param report told about each jar left out, e.g.
     *     {@code plugins/x-1.0.0.jar: x 1.1.0 is also there (plugins/x-1.1.0.jar); kept the newest, skipped 1.0.0}
     * @param prefix put before a file name in reports, e.g. {@code plugins/}
     */
    static List<Path> newest(List<Path> jars, Consumer<String> report, String prefix) {
        Map<String, Path> newest = new LinkedHashMap<>();
        Map<String, String> versions = new LinkedHashMap<>();
        List<Path> kept = new ArrayList<>();
        for (Path jar : jars) {
            Matcher m = NAMED.matcher(jar.getFileName().toString());
            if (!m.matches()) {
                kept.add(jar);
                continue;
            }
            String name = m.group(1);
            String version = m.group(2);
            Path earlier = newest.get(name);
            if (earlier == null) {
                newest.put(name, jar);
                versions.put(name, version);
                kept.add(jar);
                continue;
            }
            String earlierVersion = versions.get(name);
            Path older = compare(version, earlierVersion) > 0 ? earlier : jar;
            Path newer = older == earlier ? jar : earlier;
            String olderVersion = older == earlier ? earlierVersion : version;
            String newerVersion = older == earlier ? version : earlierVersion;
            report.accept(prefix + older.getFileName() + ": " + name + " " + newerVersion + " is also there ("
                    + prefix + newer.getFileName() + "); kept the newest, skipped " + olderVersion);
            kept.set(kept.indexOf(earlier), newer);
            newest.put(name, newer);
            versions.put(name, newerVersion);
        }
        return kept;
    }

    /** Compares versions number by number; a pre-release ({@code -SNAPSHOT}, {@code -rc1}) before its release. */
    static int compare(String a, String b) {
        String[] left = a.split("-", 2);
        String[] right = b.split("-", 2);
        String[] x = left[0].split("[.+_]");
        String[] y = right[0].split("[.+_]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = p.matches("\\d{1,18}") && q.matches("\\d{1,18}")
                    ? Long.compare(Long.parseLong(p), Long.parseLong(q)) : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        boolean leftPre = left.length > 1;
        boolean rightPre = right.length > 1;
        if (leftPre != rightPre) {
            return leftPre ? -1 : 1;
        }
        return leftPre ? left[1].compareTo(right[1]) : 0;
    }
}
