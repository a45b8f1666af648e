package dev.kiln.cli;

import dev.kiln.keras.KerasConverter;
import dev.kiln.keras.KerasFileException;
import dev.kiln.keras.KerasFiles;
import dev.kiln.processor.KilnProcessor;
import dev.kiln.runtime.KilnModel;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * {@code kiln convert} from Java: a Keras file becomes the source of an annotated {@code @Model} interface and a Kiln
 * checkpoint of its weights that the generated model's {@code load(Path)} reads.
 *
 * <p>A checkpoint carries the model's class and the architecture hash Kiln's processor computes, so the written
 * interface is compiled here, in process, with the processor (as the user's build will compile it); the Keras weights
 * are loaded into that model by name ({@link KerasFiles#loadWeights}) and saved with {@link KilnModel#save}. Nothing
 * is written unless all of that succeeds: a file that is missing, not Keras's, refused as unsafe, or holding a layer
 * Kiln lacks leaves the output directory as it was.
 */
public final class KerasConvert {
    private KerasConvert() {
    }

    /** What a conversion wrote: the interface's source, the checkpoint, the generated model class and its size. */
    public record Result(Path source, Path weights, String modelClass, int layers, long params) {
    }

    /**
     * Converts {@code keras} into {@code <out>/<package as dirs>/<Name>.java} and the checkpoint {@code weights} (null:
     * {@code <Name>.kiln} beside the source).
     *
     * @throws KerasFileException the file is not Keras's, damaged, refused, or holds what Kiln cannot express
     * @throws java.nio.file.NoSuchFileException there is no such file
     */
    public static Result convert(Path keras, String pkg, Path out, Path weights) throws IOException {
        if (!SourceVersion.isName(pkg)) {
            throw new IllegalArgumentException("'" + pkg + "' is not a Java package name");
        }
        String name = KerasConverter.interfaceName(keras);
        String source = KerasConverter.toSource(keras, pkg);
        String qualified = pkg.isEmpty() ? name : pkg + "." + name;
        Path dir = pkg.isEmpty() ? out : out.resolve(pkg.replace('.', File.separatorChar));
        Path sourceFile = dir.resolve(name + ".java");
        Path weightsFile = weights != null ? weights : dir.resolve(name + ".kiln");

        Path work = Files.createTempDirectory("kiln-convert-");
        try {
            Path src = work.resolve("src").resolve(pkg.replace('.', File.separatorChar)).resolve(name + ".java");
            Files.createDirectories(src.getParent());
            Files.writeString(src, source, StandardCharsets.UTF_8);
            Path classes = Files.createDirectories(work.resolve("classes"));
            compile(keras, src, classes, qualified);
            KilnModel model;
            try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                    KerasConvert.class.getClassLoader())) {
                model = (KilnModel) loader.loadClass(qualified + "Model").getMethod("create", long.class)
                        .invoke(null, 0L);
            } catch (ReflectiveOperationException e) {
                Throwable cause = e instanceof InvocationTargetException i ? i.getCause() : e;
                throw new IllegalStateException("the compiled model " + qualified + "Model could not be made: " + cause,
                        cause);
            }
            KerasFiles.loadWeights(model, keras);
            Files.createDirectories(dir);
            if (weightsFile.getParent() != null) {
                Files.createDirectories(weightsFile.getParent());
            }
            try {
                model.save(weightsFile);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            Path tmp = Files.createTempFile(dir, "." + name, ".java.tmp");
            Files.writeString(tmp, source, StandardCharsets.UTF_8);
            Files.move(tmp, sourceFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            long params = model.spec().variables().stream().mapToLong(v -> v.length()).sum();
            return new Result(sourceFile, weightsFile, qualified + "Model", model.spec().nodes().size(), params);
        } finally {
            delete(work);
        }
    }

    /** javac with Kiln's processor over the written interface; an error or warning means the converter erred. */
    private static void compile(Path keras, Path src, Path classes, String qualified) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("kiln convert compiles the interface it writes and needs a JDK, not a JRE"
                    + " (java.home is " + System.getProperty("java.home") + ")");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
            files.setLocation(StandardLocation.SOURCE_OUTPUT, List.of(classes.toFile()));
            files.setLocation(StandardLocation.CLASS_PATH, classPath());
            JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics,
                    List.of("-Xlint:all", "-Xlint:-processing"),
                    null, files.getJavaFileObjects(src.toFile()));
            task.setProcessors(List.of(new KilnProcessor()));
            boolean ok = task.call();
            List<String> problems = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR || d.getKind() == Diagnostic.Kind.WARNING
                        || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING) {
                    problems.add(d.getKind().toString().toLowerCase(Locale.ROOT) + " at line " + d.getLineNumber()
                            + ": " + d.getMessage(Locale.ROOT).lines().findFirst().orElse(""));
                }
            }
            if (!ok || !problems.isEmpty()) {
                throw new KerasFileException(keras, "converts to an interface " + qualified + " that Kiln's processor"
                        + " does not accept cleanly (" + String.join("; ", problems) + ")");
            }
        }
    }

    /**
     * The jars this program runs from, for javac: the class path, and the jars each jar's manifest names (how
     * {@code java -jar kiln-cli.jar} and Maven's test runner pass theirs).
     */
    static List<File> classPath() {
        Set<File> out = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                add(new File(entry), out);
            }
        }
        return new ArrayList<>(out);
    }

    private static void add(File f, Set<File> out) {
        if (!f.exists() || !out.add(f) || !f.isFile()) {
            return;
        }
        try (JarFile jar = new JarFile(f)) {
            Manifest m = jar.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (cp == null) {
                return;
            }
            for (String ref : cp.trim().split("\\s+")) {
                if (ref.isEmpty()) {
                    continue;
                }
                try {
                    add(new File(new URL(f.toURI().toURL(), ref).toURI()), out);
                } catch (IOException | URISyntaxException | IllegalArgumentException e) {
                    // an entry that names no local file: javac could not read it either
                }
            }
        } catch (IOException e) {
            // not a jar (a class directory): nothing more to follow
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
