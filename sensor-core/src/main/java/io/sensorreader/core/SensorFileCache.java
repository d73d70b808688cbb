package io.sensorreader.core;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sensor file as last parsed, kept in the data folder ({@value #NAME}) under the SHA-256 of the
 * file's bytes, so that a restart with an unchanged file needs no YAML parser at all (issue 15: the
 * parser is about 560 classes and a third of a second of start-up without class-data sharing). Any
 * change to the file, a damaged or foreign cache, or a newer format means a fresh parse; the cache
 * is only ever a copy of what the parser returned.
 *
 * <p>Format, after a header line and the digest line: one value, written as {@code n} (null),
 * {@code t}/{@code f}, {@code i<long>;}, {@code I<big integer>;}, {@code d<double>;},
 * {@code D<big decimal>;}, {@code s<length>:<chars>}, {@code [<count>;<values>}, or
 * {@code {<count>;<key value>...}} with string keys.
 */
final class SensorFileCache {

    static final String NAME = "sensor-file.cache";
    private static final String HEADER = "sensor-reader sensor file cache 1";
    /** The encoding is never more than a few times the YAML it came from. */
    private static final int MAX_GROWTH = 8;
    /** Deeper than any sensor file; a damaged cache must not overflow the stack. */
    private static final int MAX_DEPTH = 64;
    private static final Logger LOG = LoggerFactory.getLogger(SensorFileCache.class);

    private SensorFileCache() {
    }

    /** The tree stored for exactly these bytes, if any. */
    static Optional<Object> load(Path dataDir, byte[] source) {
        Path cache = dataDir.resolve(NAME);
        if (!Files.isRegularFile(cache)) {
            return Optional.empty();
        }
        try {
            if (Files.size(cache) > MAX_GROWTH * source.length + 4096L) {
                return Optional.empty(); // not what this class writes for this file: not even read
            }
            String text = Files.readString(cache, StandardCharsets.UTF_8);
            String expected = HEADER + "\n" + digest(source) + "\n";
            if (!text.startsWith(expected)) {
                return Optional.empty();
            }
            Reader r = new Reader(text, expected.length());
            Object tree = r.value();
            return r.at == text.length() ? Optional.ofNullable(tree) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} not used ({}); parsing the sensor file", cache, e.toString());
            return Optional.empty();
        }
    }

    /** Stores the tree for these bytes; a folder that cannot be written only costs the next start a parse. */
    static void store(Path dataDir, byte[] source, Object tree) {
        if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
            return;
        }
        Path cache = dataDir.resolve(NAME);
        Path tmp = dataDir.resolve(NAME + ".tmp");
        try {
            StringBuilder out = new StringBuilder(HEADER).append('\n').append(digest(source)).append('\n');
            write(tree, out);
            Files.writeString(tmp, out, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot keep the parsed sensor file in {} ({})", cache, e.toString());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    private static String digest(byte[] source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }

    private static void write(Object v, StringBuilder out) {
        switch (v) {
            case null -> out.append('n');
            case Boolean b -> out.append(b ? 't' : 'f');
            case Integer i -> out.append('i').append(i).append(';');
            case Long l -> out.append('i').append(l).append(';');
            case Short s -> out.append('i').append(s).append(';');
            case Byte b -> out.append('i').append(b).append(';');
            case BigInteger b -> out.append('I').append(b).append(';');
            case Double d -> out.append('d').append(d).append(';');
            case Float f -> out.append('d').append(f.doubleValue()).append(';');
            case BigDecimal b -> out.append('D').append(b).append(';');
            case String s -> out.append('s').append(s.length()).append(':').append(s);
            case List<?> list -> {
                out.append('[').append(list.size()).append(';');
                list.forEach(e -> write(e, out));
            }
            case Map<?, ?> map -> {
                out.append('{').append(map.size()).append(';');
                map.forEach((k, e) -> {
                    write(String.valueOf(k), out);
                    write(e, out);
                });
            }
            default -> throw new IllegalArgumentException("a " + v.getClass().getName() + " in the parsed file");
        }
    }

    /** Reads what {@link #write} wrote; throws on anything else. */
    private static final class Reader {
        private final String text;
        private int at;
        private int depth;

        Reader(String text, int at) {
            this.text = text;
            this.at = at;
        }

        Object value() {
            if (++depth > MAX_DEPTH) {
                throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH);
            }
            try {
                return next();
            } finally {
                depth--;
            }
        }

        private Object next() {
            char c = text.charAt(at++);
            return switch (c) {
                case 'n' -> null;
                case 't' -> Boolean.TRUE;
                case 'f' -> Boolean.FALSE;
                case 'i' -> {
                    long l = Long.parseLong(until(';'));
                    yield l == (int) l ? (Object) (int) l : (Object) l;
                }
                case 'I' -> new BigInteger(until(';'));
                case 'd' -> Double.parseDouble(until(';'));
                case 'D' -> new BigDecimal(until(';'));
                case 's' -> {
                    int n = Integer.parseInt(until(':'));
                    String s = text.substring(at, at + n);
                    at += n;
                    yield s;
                }
                case '[' -> {
                    int n = count();
                    List<Object> list = new ArrayList<>(n);
                    for (int k = 0; k < n; k++) {
                        list.add(value());
                    }
                    yield list;
                }
                case '{' -> {
                    int n = count();
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (int k = 0; k < n; k++) {
                        if (!(value() instanceof String key)) {
                            throw new IllegalArgumentException("a key that is not a string");
                        }
                        map.put(key, value());
                    }
                    yield map;
                }
                default -> throw new IllegalArgumentException("'" + c + "' at " + (at - 1));
            };
        }

        private int count() {
            int n = Integer.parseInt(until(';'));
            if (n < 0 || n > text.length()) {
                throw new IllegalArgumentException("a count of " + n);
            }
            return n;
        }

        private String until(char end) {
            int stop = text.indexOf(end, at);
            if (stop < 0) {
                throw new IllegalArgumentException("no '" + end + "' after " + at);
            }
            String s = text.substring(at, stop);
            at = stop + 1;
            return s;
        }
    }
}
