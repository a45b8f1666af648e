package dev.kiln.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.kiln.runtime.KilnModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.nd4j.linalg.api.buffer.DataType;

/** Test helper: compiles model sources with the real processor and loads the generated classes. */
public final class ModelCompiler {
    private ModelCompiler() {
    }

    /** Compiles {@code sources} given as (qualified name, text) pairs. */
    public static Compilation compile(String... namesAndSources) {
        List<JavaFileObject> files = new ArrayList<>();
        for (int i = 0; i < namesAndSources.length; i += 2) {
            files.add(JavaFileObjects.forSourceString(namesAndSources[i], namesAndSources[i + 1]));
        }
        // javac stops reporting after 100 errors or warnings; tests compile hundreds of models in one run
        return javac().withProcessors(new KilnProcessor())
                .withOptions("-Xlint:all", "-Xlint:-processing", "-Xmaxerrs", "100000", "-Xmaxwarns", "100000")
                .compile(files);
    }

    /** A class loader over the class files of a successful compilation. */
    public static ClassLoader loader(Compilation compilation) {
        Map<String, byte[]> classes = new HashMap<>();
        for (JavaFileObject f : compilation.generatedFiles()) {
            if (f.getKind() != JavaFileObject.Kind.CLASS) {
                continue;
            }
            String path = f.toUri().getPath();
            String name = path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length(), path.length() - 6)
                    .replace('/', '.');
            try (InputStream in = f.openInputStream()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                classes.put(name, out.toByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ClassLoader(ModelCompiler.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = classes.get(name);
                if (b == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, b, 0, b.length);
            }
        };
    }

    /** {@code GeneratedClass.create(seed, dtype)} by reflection. */
    public static KilnModel create(ClassLoader loader, String generatedClass, long seed, DataType dtype) {
        try {
            Class<?> c = loader.loadClass(generatedClass);
            return (KilnModel) c.getMethod("create", long.class, DataType.class).invoke(null, seed, dtype);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot create " + generatedClass, e);
        }
    }

    /** The text of a generated source file. */
    public static String generatedSource(Compilation compilation, String qualifiedName) {
        try {
            return compilation.generatedSourceFile(qualifiedName)
                    .orElseThrow(() -> new AssertionError("not generated: " + qualifiedName))
                    .getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
