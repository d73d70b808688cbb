package io.sensorreader.core;

/**
 * The parent of every plugin jar's class loader: it shows a plugin the JDK, the SPI
 * ({@code io.sensorreader.api.}) and the logging API ({@code org.slf4j.}) of the agent, and
 * nothing else, so that a plugin cannot bind to the agent's internals or to its library versions.
 */
final class ApiOnlyLoader extends ClassLoader {

    private final ClassLoader agent;

    ApiOnlyLoader(ClassLoader agent) {
        super("sensor-reader-api", ClassLoader.getPlatformClassLoader());
        this.agent = agent;
    }

    static boolean shared(String className) {
        return className.startsWith("io.sensorreader.api.") || className.startsWith("org.slf4j.");
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (shared(name)) {
            return agent.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }
}
