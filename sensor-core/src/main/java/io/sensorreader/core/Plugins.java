package io.sensorreader.core;

import io.sensorreader.api.ExporterFactory;
import io.sensorreader.api.SensorFactory;
import io.sensorreader.api.agent.BoardFactory;
import io.sensorreader.api.agent.SpoolFactory;
import io.sensorreader.api.agent.UpdaterFactory;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The factories found with {@link ServiceLoader}: first on the agent's class path, then in every
 * {@code *.jar} of the plugins folder (in name order), each jar in its own class loader whose
 * parent shows only the SPI and slf4j ({@link ApiOnlyLoader}).
 *
 * <p>A jar that is not a jar, a provider that fails to load or to name itself, a second factory
 * for a name already taken: each is reported (logged at WARN and kept in {@link #problems()}) by
 * jar and name, that one is skipped, and the rest load. None of this stops the agent.
 *
 * <p>Of two versions of one plugin ({@code x-1.0.0.jar} beside {@code x-1.1.0.jar}) the newest is
 * loaded and the other reported ({@link JarVersions}); a jar without a service file for any of the
 * SPI's factories is reported. At INFO, discovery says which folder it read and what it loaded.
 *
 * <p>Calls into a factory go through {@link #call(Object, Supplier)}, which makes the plugin's
 * loader the thread's context class loader and decorates the sensors and exporters it makes
 * ({@link PluginScope}). Closing releases the plugin jars; do it after
 * every sensor and exporter made from them is closed.
 */
public final class Plugins implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);
    private static final int MAX_PROVIDERS = 1_000;
    private static final String SERVICE_FOLDER = "META-INF/services/";
    private static final List<Class<?>> SERVICES = List.of(SensorFactory.class, ExporterFactory.class,
            SpoolFactory.class, UpdaterFactory.class);

    private final Map<String, SensorFactory> sensors = new TreeMap<>();
    private final Map<String, ExporterFactory> exporters = new TreeMap<>();
    private final Map<String, SpoolFactory> spools = new TreeMap<>();
    private final Map<String, UpdaterFactory> updaters = new TreeMap<>();
    private final Map<Object, Origin> origins = new IdentityHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<URLClassLoader> jarLoaders = new ArrayList<>();

    private record Origin(String source, String version, PluginScope scope) {
    }

    /**
     * One thing found, for {@code sensor-reader plugins}.
     *
     * @param kind {@code sensor type}, {@code exporter}, {@code spool}, {@code update strategy} or {@code board}
     * @param source {@code plugins/acme.jar}, a class-path jar's name, or {@code class path}
     * @param version the jar's {@code Implementation-Version}, else the version in its file name, else {@code ""}
     */
    public record Found(String kind, String name, String source, String version) {
    }

    private final List<Found> found = new ArrayList<>();
    private final List<String> loadedJars = new ArrayList<>();
    private Path folder;
    private boolean folderExists;

    private Plugins() {
    }

    /**
     * Finds every factory.
     *
     * @param agentLoader the agent's class loader (its class path is searched first)
     * @param pluginsDir the plugins folder; a missing folder means no plugins
     */
    public static Plugins discover(ClassLoader agentLoader, Path pluginsDir) {
        Plugins plugins = new Plugins();
        plugins.folder = pluginsDir;
        plugins.folderExists = Files.isDirectory(pluginsDir);
        plugins.scan(agentLoader, null, null);
        ServiceLoader.load(BoardFactory.class, agentLoader).stream().forEach(provider -> plugins.found.add(
                new Found("board", provider.type().getName(), sourceOf(provider.type()), versionOf(provider.type()))));
        ApiOnlyLoader api = new ApiOnlyLoader(agentLoader);
        for (Path jar : JarVersions.newest(jars(plugins, pluginsDir), plugins::report, pluginsDir.getFileName() + "/")) {
            String source = pluginsDir.getFileName() + "/" + jar.getFileName();
            String version;
            try (JarFile check = new JarFile(jar.toFile())) {
                if (SERVICES.stream().noneMatch(service -> check.getEntry(SERVICE_FOLDER + service.getName()) != null)) {
                    plugins.report(source + ": no service file (" + SERVICE_FOLDER + SensorFactory.class.getName()
                            + " or " + ExporterFactory.class.getName() + "); skipped it");
                    continue;
                }
                version = JarVersions.of(check, jar.getFileName().toString());
            } catch (IOException e) {
                plugins.report(source + ": not a readable jar (" + e.getMessage() + "); skipped it");
                continue;
            }
            URLClassLoader loader;
            try {
                loader = new URLClassLoader("plugin " + jar.getFileName(), new URL[] {jar.toUri().toURL()}, api);
            } catch (MalformedURLException e) {
                plugins.report(source + ": cannot be loaded (" + e.getMessage() + "); skipped it");
                continue;
            }
            plugins.jarLoaders.add(loader);
            int before = plugins.found.size();
            plugins.scan(loader, source, version);
            if (plugins.found.size() > before) {
                plugins.loadedJars.add(jar.getFileName() + " (" + plugins.found.subList(before, plugins.found.size())
                        .stream().map(f -> f.kind() + " " + f.name()).collect(Collectors.joining(", ")) + ")");
            }
        }
        plugins.logSummary();
        return plugins;
    }

    private void logSummary() {
        if (!folderExists) {
            LOG.info("plugins folder {}: not there; no plugins loaded", folder);
        } else if (loadedJars.isEmpty()) {
            LOG.info("plugins folder {}: no plugin loaded{}", folder,
                    problems.isEmpty() ? "" : " (" + problems.size() + " skipped, see above)");
        } else {
            LOG.info("plugins folder {}: loaded {}{}", folder, String.join("; ", loadedJars),
                    problems.isEmpty() ? "" : "; " + problems.size() + " skipped, see above");
        }
    }

    private static List<Path> jars(Plugins plugins, Path dir) {
        if (!Files.isDirectory(dir)) {
            LOG.debug("no plugins folder at {}", dir);
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            plugins.report(dir + ": cannot list the plugins folder (" + e.getMessage() + "); loading no plugins");
            return List.of();
        }
    }

    private void scan(ClassLoader loader, String jarSource, String jarVersion) {
        PluginScope scope = new PluginScope(loader);
        load(SensorFactory.class, SensorFactory::name, sensors, "type", scope, jarSource, jarVersion);
        load(ExporterFactory.class, ExporterFactory::name, exporters, "exporter", scope, jarSource, jarVersion);
        load(SpoolFactory.class, SpoolFactory::name, spools, "spool", scope, jarSource, jarVersion);
        load(UpdaterFactory.class, UpdaterFactory::name, updaters, "update strategy", scope, jarSource, jarVersion);
    }

    private <T> void load(Class<T> service, Function<T, String> naming, Map<String, T> found, String noun,
                          PluginScope scope, String jarSource, String jarVersion) {
        ClassLoader loader = scope.loader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Iterator<T> providers = ServiceLoader.load(service, loader).iterator();
            for (int i = 0; i < MAX_PROVIDERS; i++) {
                T factory;
                try {
                    if (!providers.hasNext()) {
                        break;
                    }
                    factory = providers.next();
                } catch (Error e) {
                    report((jarSource == null ? "class path" : jarSource) + ": a provider of " + service.getSimpleName()
                            + " could not be loaded (" + describe(e) + "); skipped it");
                    continue;
                }
                String source = jarSource == null ? sourceOf(factory.getClass()) : jarSource;
                String name;
                try {
                    name = naming.apply(factory);
                } catch (RuntimeException | Error e) {
                    report(source + ": " + factory.getClass().getName() + ".name() failed (" + describe(e)
                            + "); skipped it");
                    continue;
                }
                if (name == null || name.isBlank()) {
                    report(source + ": " + factory.getClass().getName() + " has no name; skipped it");
                    continue;
                }
                T earlier = found.get(name);
                if (earlier != null) {
                    report(source + ": " + noun + " '" + name + "' is already provided by "
                            + origins.get(earlier).source() + "; skipped " + shortName(source) + "'s factory");
                    continue;
                }
                found.put(name, factory);
                String version = jarVersion != null ? jarVersion : versionOf(factory.getClass());
                origins.put(factory, new Origin(source, version, scope));
                this.found.add(new Found(noun.equals("type") ? "sensor type" : noun, name, source, version));
                LOG.debug("{} '{}' from {}", noun, name, source);
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private void report(String problem) {
        LOG.warn(problem);
        problems.add(problem);
    }

    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append(", caused by ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString();
    }

    /** The jar a class came from, without its version ({@code sensor-gpio}), or {@code class path}. */
    private static String sourceOf(Class<?> type) {
        CodeSource code = type.getProtectionDomain().getCodeSource();
        if (code == null || code.getLocation() == null) {
            return "class path";
        }
        String file = code.getLocation().getPath();
        if (!file.endsWith(".jar")) {
            return "class path";
        }
        String name = file.substring(file.lastIndexOf('/') + 1, file.length() - ".jar".length());
        return name.replaceFirst("-\\d.*$", "");
    }

    /** A class-path class's version: its jar's manifest, else its jar's file name, else {@code ""}. */
    private static String versionOf(Class<?> type) {
        Package p = type.getPackage();
        if (p != null && p.getImplementationVersion() != null) {
            return p.getImplementationVersion();
        }
        CodeSource code = type.getProtectionDomain().getCodeSource();
        if (code == null || code.getLocation() == null) {
            return "";
        }
        String file = code.getLocation().getPath();
        return JarVersions.fromName(file.substring(file.lastIndexOf('/') + 1)).orElse("");
    }

    private static String shortName(String source) {
        return source.substring(source.lastIndexOf('/') + 1);
    }

    /** Sensor factories by type name, sorted. */
    public Map<String, SensorFactory> sensorFactories() {
        return Collections.unmodifiableMap(sensors);
    }

    /** Exporter factories by name, sorted. */
    public Map<String, ExporterFactory> exporterFactories() {
        return Collections.unmodifiableMap(exporters);
    }

    /** Spool factories by name, sorted. */
    public Map<String, SpoolFactory> spoolFactories() {
        return Collections.unmodifiableMap(spools);
    }

    /** Updater factories by strategy name, sorted. */
    public Map<String, UpdaterFactory> updaterFactories() {
        return Collections.unmodifiableMap(updaters);
    }

    /** Where a factory came from: {@code plugins/acme.jar}, a class-path jar's name, or {@code class path}. */
    public String sourceOf(Object factory) {
        Origin origin = origins.get(factory);
        return origin == null ? "class path" : origin.source();
    }

    /** The class loader of a factory's plugin (the factory class's own for one not found here). */
    ClassLoader loaderOf(Object factory) {
        return scopeOf(factory).loader();
    }

    /** The version of the jar a factory came from, or {@code ""}. */
    public String versionOf(Object factory) {
        Origin origin = origins.get(factory);
        return origin == null ? "" : origin.version();
    }

    PluginScope scopeOf(Object factory) {
        Origin origin = origins.get(factory);
        return origin != null ? origin.scope() : new PluginScope(factory.getClass().getClassLoader());
    }

    /**
     * Runs a call into a factory with its plugin's class loader as the thread's context class loader
     * ({@link PluginScope}). A {@link io.sensorreader.api.Sensor} or {@link io.sensorreader.api.Exporter}
     * it returns comes back decorated, so that every later call into it (read, deliver, register,
     * close) runs in that loader too, on any thread.
     */
    public <R> R call(Object factory, Supplier<R> call) {
        return scopeOf(factory).call(call);
    }

    /** Everything found, in discovery order: class path first, then the plugins folder's jars by name. */
    public List<Found> found() {
        return List.copyOf(found);
    }

    /** The plugins folder that was read. */
    public Path folder() {
        return folder;
    }

    /** What discovery skipped, as reported. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Releases the plugin jars. */
    @Override
    public void close() {
        for (URLClassLoader loader : jarLoaders) {
            try {
                loader.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", loader.getName(), e.toString());
            }
        }
    }
}
