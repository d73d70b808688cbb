package io.sensorreader.core;

import io.sensorreader.api.ConfigException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads YAML files at start-up without keeping the parser loaded (issue 15: Jackson's YAML parser
 * and SnakeYAML are a few hundred classes, megabytes of class metadata, that a running agent never
 * needs again). {@code io.sensorreader.core.yaml.YamlParser} and the Jackson and SnakeYAML jars are
 * loaded by a class loader of their own, whose parent is the platform class loader, on a thread of
 * their own; once the parse is done nothing refers to that loader, and the next full collection
 * ({@link #releaseUnused()}) unloads all of it. The launcher leaves these classes out of its
 * class-data-sharing archive, so that they cost nothing once unloaded.
 *
 * <p>When the jars cannot be found as jars or folders on the class path (a repackaged build), the
 * parser runs in the application's class loader instead: the same result, without the saving.
 */
public final class YamlFiles {

    private static final Logger LOG = LoggerFactory.getLogger(YamlFiles.class);

    /** A class of each library the parser needs, as resources (looking them up loads nothing). */
    private static final List<String> MARKERS = List.of(
            "io/sensorreader/core/yaml/YamlParser.class",
            "com/fasterxml/jackson/core/JsonFactory.class",
            "com/fasterxml/jackson/dataformat/yaml/YAMLFactory.class",
            "org/yaml/snakeyaml/Yaml.class");

    /** Named, not referenced: a class literal would load it in the application's class loader. */
    private static final String PARSER = "io.sensorreader.core.yaml.YamlParser";

    private static final AtomicBoolean DROPPED = new AtomicBoolean();

    /** The last parser loader, for tests that it can be collected. */
    static volatile java.lang.ref.WeakReference<ClassLoader> lastLoader = new java.lang.ref.WeakReference<>(null);

    private YamlFiles() {
    }

    /**
     * A file's bytes as plain values: the caller parses exactly the bytes it has read (and, for
     * the sensor-file cache, hashed).
     *
     * @param name the file as the operator named it, for messages
     * @throws ConfigException when they are not YAML, naming the line when known
     */
    static Object read(byte[] yaml, String name, String expected) {
        Object[] result = parse(yaml);
        return switch ((String) result[0]) {
            case "tree" -> result[1];
            case "yaml" -> {
                int line = (Integer) result[2];
                String detail = String.valueOf(result[1]);
                throw new ConfigException(name + ": not valid YAML" + (line > 0 ? " at line " + line : "") + " ("
                        + detail.lines().findFirst().orElse("") + "); expected " + expected);
            }
            default -> throw new ConfigException(name + ": cannot be read (" + result[1] + ")");
        };
    }

    private static Object[] parse(byte[] yaml) {
        Optional<URLClassLoader> own = ownLoader();
        if (own.isEmpty()) {
            return parseIn(YamlFiles.class.getClassLoader(), yaml);
        }
        // On a thread of its own: Jackson keeps buffers in thread-locals, which would hold the loader.
        Object[][] result = new Object[1][];
        Thread parsing = Thread.ofPlatform().name("yaml-parser").unstarted(() -> result[0] = parseIn(own.get(), yaml));
        parsing.setContextClassLoader(own.get());
        parsing.start();
        try {
            parsing.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while parsing YAML");
        }
        return result[0] != null ? result[0] : parseIn(YamlFiles.class.getClassLoader(), yaml);
    }

    /** Parses with {@link #PARSER} as {@code loader} defines it; in the application's loader as the fallback. */
    private static Object[] parseIn(ClassLoader loader, byte[] yaml) {
        boolean own = loader instanceof URLClassLoader;
        try {
            if (own) {
                lastLoader = new java.lang.ref.WeakReference<>(loader);
            }
            @SuppressWarnings("unchecked")
            Function<byte[], Object[]> parser = (Function<byte[], Object[]>) Class.forName(PARSER, true, loader)
                    .getConstructor().newInstance();
            Object[] result = parser.apply(yaml);
            if (own) {
                DROPPED.set(true);
            }
            return result;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            if (!own) {
                throw new ConfigException("cannot read YAML: the parser is missing (" + e + ")");
            }
            LOG.debug("the YAML parser's own class loader failed ({}); parsing in the application's", e.toString());
            return null;
        } finally {
            if (own) {
                try {
                    ((URLClassLoader) loader).close();
                } catch (IOException e) {
                    LOG.debug("closing the YAML parser's jars: {}", e.toString());
                }
            }
        }
    }

    /** A loader over the parser's jars, or empty when one of them is not a jar or folder on disk. */
    private static Optional<URLClassLoader> ownLoader() {
        ClassLoader app = YamlFiles.class.getClassLoader();
        List<URL> roots = new ArrayList<>();
        for (String marker : MARKERS) {
            URL url = app.getResource(marker);
            URL root = url == null ? null : root(url, marker);
            if (root == null) {
                return Optional.empty();
            }
            if (!roots.contains(root)) {
                roots.add(root);
            }
        }
        return Optional.of(new URLClassLoader("yaml-parser", roots.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader()));
    }

    /** {@code jar:file:/x.jar!/a/B.class} → {@code file:/x.jar}; {@code file:/dir/a/B.class} → {@code file:/dir/}. */
    private static URL root(URL url, String marker) {
        String s = url.toString();
        try {
            if (s.startsWith("jar:file:") && s.endsWith("!/" + marker)) {
                return URI.create(s.substring(4, s.length() - marker.length() - 2)).toURL();
            }
            if (s.startsWith("file:") && s.endsWith("/" + marker)) {
                return URI.create(s.substring(0, s.length() - marker.length())).toURL();
            }
        } catch (MalformedURLException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /**
     * After start-up, once: one full collection, which unloads the parser's classes (and returns
     * their metadata) when a file was parsed in the parser's own loader. Does nothing otherwise.
     */
    public static void releaseUnused() {
        if (DROPPED.getAndSet(false)) {
            System.gc();
            LOG.debug("start-up's YAML parser unloaded");
        }
    }
}
