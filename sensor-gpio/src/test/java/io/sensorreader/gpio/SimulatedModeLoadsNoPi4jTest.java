package io.sensorreader.gpio;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: simulated sensors must not load Pi4J (214 classes, about 1.8 MB resident). Each run
 * happens in a class loader of its own over this module's class path, which records every class
 * asked of it, so what the run loaded is exactly what it needed.
 */
class SimulatedModeLoadsNoPi4jTest {

    private static final List<String> KEY_PI4J_CLASSES = List.of("com.pi4j.Pi4J", "com.pi4j.context.Context",
            "com.pi4j.io.gpio.digital.DigitalInput", "com.pi4j.io.gpio.digital.DigitalState", "com.pi4j.io.i2c.I2C",
            "com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput");

    @Test
    void simulatedSensorsAndTheSpiBoardLoadNoPi4jClass() throws Exception {
        try (IsolatedLoader loader = new IsolatedLoader()) {
            List<String> readings = run(loader, false);

            assertThat(readings).hasSize(30);
            assertThat(loader.loadedHere("io.sensorreader.gpio.Board")).as("the board came from the fresh loader")
                    .isTrue();
            assertThat(loader.requested).as("classes asked for").noneMatch(name -> name.startsWith("com.pi4j."));
            assertThat(KEY_PI4J_CLASSES).noneMatch(loader::loadedHere);
        }
    }

    @Test
    void theSameRunOnPi4jsMockPlatformIsSeenLoadingPi4j() throws Exception {
        try (IsolatedLoader loader = new IsolatedLoader()) {
            run(loader, true);

            assertThat(KEY_PI4J_CLASSES).allMatch(loader::loadedHere);
        }
    }

    @Test
    void theFreshLoaderReadsWhatTheTestsLoaderReads() throws Exception {
        try (IsolatedLoader loader = new IsolatedLoader()) {
            assertThat(run(loader, false)).isEqualTo(SimulatedRun.readings(false, 30));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> run(IsolatedLoader loader, boolean onMockPlatform) throws Exception {
        Class<?> run = Class.forName(SimulatedRun.class.getName(), true, loader);
        assertThat(run.getClassLoader()).isSameAs(loader);
        return (List<String>) run.getMethod("readings", boolean.class, int.class).invoke(null, onMockPlatform, 30);
    }

    /** This module's class path again, over the platform loader only; records every name asked of it. */
    private static final class IsolatedLoader extends URLClassLoader {

        final Set<String> requested = ConcurrentHashMap.newKeySet();

        IsolatedLoader() {
            super(classPath(), ClassLoader.getPlatformClassLoader());
        }

        private static URL[] classPath() {
            return java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(entry -> !entry.isBlank())
                    .map(entry -> {
                        try {
                            return Path.of(entry).toUri().toURL();
                        } catch (MalformedURLException e) {
                            throw new IllegalStateException(entry, e);
                        }
                    })
                    .toArray(URL[]::new);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            requested.add(name);
            return super.loadClass(name, resolve);
        }

        boolean loadedHere(String name) {
            return findLoadedClass(name) != null;
        }
    }
}
