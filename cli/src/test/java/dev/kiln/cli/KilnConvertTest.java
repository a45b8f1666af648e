package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.processor.KilnProcessor;
import dev.kiln.runtime.KilnModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code kiln convert} end to end: the command line writes the interface and the checkpoint; the user's javac (here:
 * javax.tools with Kiln's processor) compiles the interface; the generated model's {@code load} restores the checkpoint
 * and predicts what the independent numpy forward pass predicted for the Keras file.
 */
class KilnConvertTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int kiln(String... args) {
        return Kiln.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void convertsAKerasArchiveIntoSourceAndACheckpointThatPredictTheKerasOutputs() throws Exception {
        assertConverts("k3_churn_mlp.keras", "k3_churn_mlp", "com.acme.models", "Sequential2");
    }

    @Test
    void convertsALegacyH5Model() throws Exception {
        assertConverts("k3_churn_mlp_legacy.h5", "k3_churn_mlp_legacy", "com.acme.legacy", "Sequential2");
    }

    @Test
    void convertsAStackedLstm() throws Exception {
        assertConverts("k3_stock_lstm.keras", "k3_stock_lstm", "com.acme.stocks", "Sequential");
    }

    @Test
    void convertsANestedModel() throws Exception {
        assertConverts("fixtures/nested_classifier.keras", "nested_classifier", "com.acme.nested", "Classifier");
    }

    private void assertConverts(String resource, String expected, String pkg, String name) throws Exception {
        Path keras = resource(resource);
        Path src = dir.resolve("src/main/java");
        int status = kiln("convert", keras.toString(), "--package", pkg, "--out", src.toString());
        assertEquals(0, status, () -> out + "\n" + err);
        assertEquals("", err.toString());
        Path source = src.resolve(pkg.replace('.', '/')).resolve(name + ".java");
        Path weights = src.resolve(pkg.replace('.', '/')).resolve(name + ".kiln");
        assertTrue(Files.isRegularFile(source), out::toString);
        assertTrue(Files.isRegularFile(weights), out::toString);
        assertTrue(out.toString().startsWith("kiln convert: wrote " + source + " (" + pkg + "." + name + "Model, "),
                out::toString);

        Class<?> type = compile(source).loadClass(pkg + "." + name + "Model");
        KilnModel model = (KilnModel) type.getMethod("load", Path.class).invoke(null, weights);
        String json = read("/keras/expected/" + expected + ".json");
        INDArray in = array(json, "inputs");
        INDArray want = array(json, "outputs");
        INDArray got = model.predict(Map.of(model.inputNames().get(0), in)).get(model.outputs().get(0).name());
        assertArrayEquals(want.shape(), got.shape());
        double diff = want.castTo(DataType.DOUBLE).sub(got.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-5, () -> "max |difference| " + diff);
    }

    @Test
    void helpListsTheUsage() {
        assertEquals(0, kiln("convert", "--help"));
        String help = out.toString();
        assertTrue(help.startsWith("Usage: kiln convert [-hV] --out=<dir> --package=<name> [--weights=<file>]"
                + System.lineSeparator() + "                    <model>"), help);
        assertTrue(help.contains("--package=<name>"), help);
        assertEquals(0, kiln("--help"));
        assertTrue(out.toString().contains("convert"), out::toString);
    }

    @Test
    void aMissingFileIsOneLineAndStatusOne() {
        Path missing = dir.resolve("nothing.keras");
        assertEquals(1, kiln("convert", missing.toString(), "--package", "a.b", "--out", dir.toString()));
        assertEquals("kiln convert: " + missing + ": no such file" + System.lineSeparator(), err.toString());
        assertNothingWritten();
    }

    @Test
    void aForeignFileIsOneLineAndStatusOne() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.keras"), "just some notes\n");
        assertEquals(1, kiln("convert", text.toString(), "--package", "a.b", "--out", dir.resolve("out").toString()));
        assertEquals("kiln convert: " + text + ": is neither a .keras archive (zip) nor an HDF5 file (its first bytes"
                + " are 6a 75 73 74 20 73 6f 6d); Kiln tells the format from the content, not the name"
                + System.lineSeparator(), err.toString());
        assertNothingWritten();
    }

    @Test
    void anUnsupportedLayerIsOneLineNamingTheLayerAndItsClass() throws Exception {
        Path keras = rewriteConfig(resource("k3_churn_mlp.keras"), c -> c.replaceFirst(
                "\"class_name\": \"Dense\", \"config\": \\{\"name\": \"dense_7\"",
                "\"class_name\": \"UnitNormalization\", \"config\": {\"name\": \"dense_7\""));
        assertEquals(1, kiln("convert", keras.toString(), "--package", "a.b", "--out", dir.resolve("out").toString()));
        assertEquals("kiln convert: " + keras + ": has layer 'dense_7' of class UnitNormalization: Kiln cannot"
                + " convert UnitNormalization yet" + System.lineSeparator(), err.toString());
        assertNothingWritten();
    }

    @Test
    void theMaliciousArchiveIsRefused() throws Exception {
        Path evil = resource("malicious/evil_keras_model.keras");
        assertEquals(1, kiln("convert", evil.toString(), "--package", "a.b", "--out", dir.resolve("out").toString()));
        String line = err.toString();
        assertTrue(line.startsWith("kiln convert: " + evil + ": "), line);
        assertEquals(1, line.lines().count(), line);
        assertNothingWritten();
    }

    @Test
    void aBadPackageOrAMissingOptionIsUsageStatusTwo() throws Exception {
        Path keras = resource("k3_churn_mlp.keras");
        assertEquals(2, kiln("convert", keras.toString(), "--package", "com.1acme", "--out", dir.toString()));
        assertEquals("kiln convert: --package 'com.1acme' is not a Java package name (e.g. com.acme.models)"
                + System.lineSeparator(), err.toString());
        StringWriter before = new StringWriter();
        before.write(err.toString());
        assertEquals(2, kiln("convert", keras.toString(), "--out", dir.toString()));
        String second = err.toString().substring(before.toString().length());
        assertEquals("kiln convert: Missing required option: '--package=<name>' (see kiln convert --help)"
                + System.lineSeparator(), second);
    }

    private void assertNothingWritten() {
        try (Stream<Path> files = Files.walk(dir)) {
            List<String> written = files.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".kiln"))
                    .map(Path::toString).toList();
            assertEquals(List.of(), written);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertFalse(out.toString().contains("wrote"), out::toString);
    }

    /** Compiles {@code source} as the user's build would: javac, Kiln's processor, -Xlint:all, no warnings. */
    private ClassLoader compile(Path source) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
            files.setLocation(StandardLocation.SOURCE_OUTPUT, List.of(classes.toFile()));
            files.setLocation(StandardLocation.CLASS_PATH, KerasConvert.classPath());
            JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics,
                    List.of("-Xlint:all", "-Xlint:-processing"), null, files.getJavaFileObjects(source.toFile()));
            task.setProcessors(List.of(new KilnProcessor()));
            assertTrue(task.call(), () -> diagnostics.getDiagnostics().toString());
            assertTrue(diagnostics.getDiagnostics().stream().noneMatch(d -> d.getKind() != javax.tools.Diagnostic.Kind
                    .NOTE), () -> diagnostics.getDiagnostics().toString());
        }
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
    }

    private Path resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/keras/" + name)) {
            Path out = dir.resolve(name.replace('/', '_'));
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            return out;
        }
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = KilnConvertTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The first array of {@code key} ("inputs", "outputs") in an expected file: {"shape": [...], ..., "data": [...]}. */
    static INDArray array(String json, String key) {
        int at = json.indexOf("\"" + key + "\"");
        Matcher shape = Pattern.compile("\"shape\":\\s*\\[([^\\]]*)\\]").matcher(json);
        Matcher data = Pattern.compile("\"data\":\\s*\\[([^\\]]*)\\]").matcher(json);
        assertTrue(at >= 0 && shape.find(at) && data.find(at), key);
        long[] s = Stream.of(shape.group(1).split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
        double[] d = Stream.of(data.group(1).split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
        return Nd4j.create(d, s, 'c').castTo(DataType.FLOAT);
    }

    private Path rewriteConfig(Path zip, java.util.function.UnaryOperator<String> edit) throws IOException {
        Path target = dir.resolve("edited.keras");
        List<Map.Entry<String, byte[]>> entries = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> e = z.entries();
            while (e.hasMoreElements()) {
                ZipEntry entry = e.nextElement();
                byte[] bytes = z.getInputStream(entry).readAllBytes();
                if (entry.getName().equals("config.json")) {
                    bytes = edit.apply(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                }
                entries.add(Map.entry(entry.getName(), bytes));
            }
        }
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(target))) {
            for (Map.Entry<String, byte[]> e : entries) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                z.putNextEntry(entry);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return target;
    }
}
