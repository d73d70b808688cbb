package io.sensorreader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds a third-party sensor plugin jar at test time, as an author would: compiled source plus a service file. */
final class PluginJar {

    private PluginJar() {
    }

    /**
     * Compiles {@code source} (against the test class path) and packs it with a service file naming
     * {@code factory} as an {@code io.sensorreader.api.SensorFactory}.
     *
     * @param source the folder holding the {@code .java} file
     * @param file the source file's name in it, e.g. {@code DoorFactory.java}
     * @param factory the factory's class name, e.g. {@code com.acme.DoorFactory}
     * @param jar where to write the jar; its folder is made
     */
    static Path build(Path source, String file, String factory, Path jar) throws IOException {
        Path classes = Files.createDirectories(jar.toAbsolutePath().getParent().resolveSibling(jar.getFileName() + "-classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int compiled = javac.run(null, null, null, "--release", "21", "-classpath",
                System.getProperty("java.class.path"), "-d", classes.toString(), source.resolve(file).toString());
        assertThat(compiled).isZero();
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                zip.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
            zip.putNextEntry(new JarEntry("META-INF/services/io.sensorreader.api.SensorFactory"));
            zip.write((factory + "\n").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }
}
