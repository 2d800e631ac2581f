package dev.arenaflow.topology.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * A jar built at test time: Java sources compiled with the JDK's compiler, plus text resources and
 * an optional manifest {@code Class-Path}. For plugin jars that must not be on the test class path.
 */
public final class TestJar {

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, String> resources = new LinkedHashMap<>();
    private final List<Path> classPath = new ArrayList<>();
    private String manifestClassPath;

    /** @return a builder of an empty jar */
    public static TestJar builder() {
        return new TestJar();
    }

    /**
     * @param className the class's binary name, e.g. {@code com.example.lib.Greeting}
     * @param code its source
     */
    public TestJar source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** Adds a {@code META-INF/services} file listing the implementations of a service. */
    public TestJar service(Class<?> service, String... implementations) {
        resources.put("META-INF/services/" + service.getName(), String.join("\n", implementations) + "\n");
        return this;
    }

    /** Compiles against the jars or folders these classes were loaded from. */
    public TestJar compiledAgainst(Class<?>... types) {
        for (Class<?> type : types) {
            classPath.add(codeSource(type));
        }
        return this;
    }

    /** Compiles against other jars, e.g. a library the plugin ships beside it. */
    public TestJar compiledAgainst(Path... jars) {
        classPath.addAll(List.of(jars));
        return this;
    }

    /** Sets the manifest's {@code Class-Path} attribute. */
    public TestJar manifestClassPath(String value) {
        this.manifestClassPath = value;
        return this;
    }

    /**
     * Compiles the sources and writes the jar, creating its folder if needed.
     *
     * @param jar where to write it
     * @return {@code jar}
     */
    public Path writeTo(Path jar) throws IOException {
        Path work = Files.createTempDirectory("test-jar-");
        try {
            Path classes = compile(work);
            Files.createDirectories(jar.toAbsolutePath().getParent());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest())) {
                for (Path file : files(classes)) {
                    put(out, classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                }
                for (Map.Entry<String, String> resource : resources.entrySet()) {
                    put(out, resource.getKey(), resource.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
            return jar;
        } finally {
            delete(work);
        }
    }

    private Path compile(Path work) throws IOException {
        Path sourceRoot = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceRoot.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            files.add(Files.writeString(file, source.getValue()));
        }
        if (files.isEmpty()) {
            return classes;
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-proc:none", "-classpath",
                    classPath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
            boolean ok = compiler.getTask(null, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromPaths(files)).call();
            if (!ok) {
                throw new IllegalStateException("test sources do not compile: " + diagnostics.getDiagnostics());
            }
        }
        return classes;
    }

    private Manifest manifest() {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (manifestClassPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, manifestClassPath);
        }
        return manifest;
    }

    private static void put(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** @return the jar or class folder a class was loaded from */
    public static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
