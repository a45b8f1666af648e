package dev.kiln.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.keras.models.ChurnNetModel;
import dev.kiln.keras.models.NestedClassifierModel;
import dev.kiln.runtime.KilnModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of mutated Keras files (seeded, so every run tries the same ones): truncated, bit-flipped, a dimension made
 * huge, entries renamed, dropped or doubled, a Lambda layer or a custom module written into the config, a declared size
 * of 4 GB, a zip bomb. None crashes the loader: each either loads (a flipped bit in a weight's value is still a valid
 * file) or is refused with a {@link KerasFileException} whose message names the file and says what is wrong (counted
 * below by kind), a refused file leaves the model's weights as they were, and no attempt allocates more than
 * {@link #ALLOCATION_BOUND} on the heap, whatever sizes the file declares. {@code -Dkiln.fuzz.rounds=N} changes the
 * number of rounds (13 files each, and 4 of the nested fixture's archive and 6 of its legacy .h5 and .weights.h5
 * every 5th round).
 */
class KerasFuzzTest {
    private static final int ROUNDS = Integer.getInteger("kiln.fuzz.rounds", 250);
    /**
     * The most heap one load may allocate: the HDF5 reader's and the JSON parser's working memory for files of this
     * size, independent of any size a file declares (a 4 GB entry, a 256 MB bomb, a dimension of 2^40, an object
     * header of 512 MB). The most any load took was 0.7 MB once HDF5 files were read from mapped bytes (32 MB before).
     */
    private static final long ALLOCATION_BOUND = 8L << 20;

    @TempDir
    Path dir;

    private final Map<String, int[]> outcomes = new TreeMap<>();
    /** Refusals by what the message says is wrong. */
    private final Map<String, Integer> reasons = new TreeMap<>();
    private final List<String> crashes = new ArrayList<>();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    /** Nanoseconds spent loading, by mutation. */
    private final Map<String, long[]> nanos = new TreeMap<>();
    private final List<String> others = new ArrayList<>();
    private long maxAllocated;
    private String maxAllocatedKind = "";

    @Test
    void mutatedFilesAreLoadedOrRefusedByName() throws Exception {
        Random random = new Random(15);
        byte[] keras = Files.readAllBytes(Fixtures.file(dir, "k3_churn_mlp.keras"));
        byte[] legacy = Files.readAllBytes(Fixtures.file(dir, "k3_churn_mlp_legacy.h5"));
        byte[] weights = Files.readAllBytes(Fixtures.file(dir, "k3_churn_mlp.weights.h5"));
        Map<String, byte[]> entries = Mutations.entries(Fixtures.file(dir, "k3_churn_mlp.keras"));
        for (String[] f : new String[][] {{"keras", "k3_churn_mlp.keras"}, {"legacy", "k3_churn_mlp_legacy.h5"},
                {"weights", "k3_churn_mlp.weights.h5"}}) {
            KerasFiles.loadWeights(model, Fixtures.file(dir, f[1]));
            reference.put(f[0], snapshot());
        }
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < ROUNDS; i++) {
            for (byte[] base : List.of(keras, legacy, weights)) {
                String kind = base == keras ? "keras" : base == legacy ? "legacy" : "weights";
                attempt(kind + " truncated", truncate(base, random));
                attempt(kind + " bit-flipped", flip(base, random, 1 + random.nextInt(8)));
                if (base != keras) {
                    attempt(kind + " dimension oversized", oversize(base, random));
                }
            }
            attempt("keras h5 entry bit-flipped", zip(entries, "model.weights.h5",
                    h5 -> flip(h5, random, 1 + random.nextInt(8))));
            attempt("keras h5 entry truncated", zip(entries, "model.weights.h5", h5 -> truncate(h5, random)));
            attempt("keras h5 entry dimension oversized", zip(entries, "model.weights.h5", h5 -> oversize(h5, random)));
            attempt("keras config bit-flipped", zip(entries, "config.json", c -> flip(c, random, 1)));
            attempt("keras config edited", zip(entries, "config.json", c -> editJson(c, random)));
        }
        // the nested fixture into a hand-written @Nested model: a nested config, weights under nested groups
        KilnModel churn = model;
        model = NestedClassifierModel.create(1);
        Path nestedFile = Fixtures.file(dir, "fixtures/nested_classifier.keras");
        Map<String, byte[]> nested = Mutations.entries(nestedFile);
        KerasFiles.loadWeights(model, nestedFile);
        for (int i = 0; i < ROUNDS / 5; i++) {
            attempt("nested h5 entry bit-flipped", zip(nested, "model.weights.h5",
                    h5 -> flip(h5, random, 1 + random.nextInt(8))));
            attempt("nested h5 entry dimension oversized", zip(nested, "model.weights.h5", h5 -> oversize(h5, random)));
            attempt("nested config bit-flipped", zip(nested, "config.json", c -> flip(c, random, 1)));
            attempt("nested config edited", zip(nested, "config.json", c -> editJson(c, random)));
        }
        // its legacy .h5 (the nested model's weights listed under its top-level group) and its .weights.h5 (the
        // nested model's group found in the file)
        for (String[] f : new String[][] {{"nested-legacy", "fixtures/nested_classifier_legacy.h5"},
                {"nested-weights", "fixtures/nested_classifier.weights.h5"}}) {
            Path whole = Fixtures.file(dir, f[1]);
            KerasFiles.loadWeights(model, whole);
            reference.put(f[0], snapshot());
            byte[] base = Files.readAllBytes(whole);
            for (int i = 0; i < ROUNDS / 5; i++) {
                attempt(f[0] + " truncated", truncate(base, random));
                attempt(f[0] + " bit-flipped", flip(base, random, 1 + random.nextInt(8)));
                attempt(f[0] + " dimension oversized", oversize(base, random));
            }
        }
        attempt("nested 40 deep", zip(nested, "config.json", c -> ("{\"class_name\": \"Functional\", \"config\":"
                + " {\"name\": \"root\", \"layers\": [" + deeplyNested(40) + "]}}").getBytes(StandardCharsets.UTF_8)));
        model = churn;

        String config = new String(entries.get("config.json"), StandardCharsets.UTF_8);
        attempt("keras entry renamed", rename(entries, "model.weights.h5", "../model.weights.h5"));
        attempt("keras entry renamed", rename(entries, "model.weights.h5", "model.weights.npz"));
        attempt("keras entry renamed", rename(entries, "config.json", "/etc/config.json"));
        // ZipOutputStream refuses a repeated name: write "config.jsoX", then give it the name "config.json"
        byte[] doubled = Files.readAllBytes(Mutations.write(dir.resolve("doubled.keras"), List.of(
                Map.entry("config.json", entries.get("config.json")), Map.entry("config.jsoX", entries.get("config.json")),
                Map.entry("model.weights.h5", entries.get("model.weights.h5")))));
        attempt("keras entry doubled", replace(doubled, "config.jsoX", "config.json"));
        attempt("keras Lambda", zip(entries, "config.json", c -> config.replaceFirst("\"class_name\": \"Dense\"",
                "\"class_name\": \"Lambda\"").replaceFirst("\"units\": 64", "\"function\": [\"4wEAAAAAAAAA\", null,"
                + " null]").getBytes(StandardCharsets.UTF_8)));
        attempt("keras custom module", zip(entries, "config.json", c -> config.replaceFirst("\"module\": \"keras.layers\"",
                "\"module\": \"os\"").getBytes(StandardCharsets.UTF_8)));
        attempt("keras custom function", zip(entries, "config.json", c -> config.replaceFirst("\"activation\": \"relu\"",
                "\"activation\": {\"class_name\": \"__lambda__\", \"config\": {\"code\": \"x\"}}")
                .getBytes(StandardCharsets.UTF_8)));
        attempt("keras deep json", zip(entries, "config.json", c -> ("[".repeat(100_000) + "]".repeat(100_000))
                .getBytes(StandardCharsets.UTF_8)));
        attempt("keras declared 4 GB", declaredSize(entries, 0xF0000000L));
        attempt("keras zip bomb", bomb(entries));
        attempt("not a keras file", "hello".getBytes(StandardCharsets.UTF_8));
        attempt("empty file", new byte[0]);

        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        StringBuilder report = new StringBuilder("fuzz outcomes by mutation (loaded / refused, naming the file):\n");
        int total = 0;
        int loaded = 0;
        for (Map.Entry<String, int[]> e : outcomes.entrySet()) {
            report.append(String.format("  %-36s %5d loaded  %5d refused  %6.1f ms/file%n", e.getKey(),
                    e.getValue()[0], e.getValue()[1], nanos.get(e.getKey())[0] / 1e6 / (e.getValue()[0]
                    + e.getValue()[1])));
            total += e.getValue()[0] + e.getValue()[1];
            loaded += e.getValue()[0];
        }
        report.append("refusals by what the message says is wrong:\n");
        reasons.forEach((k, v) -> report.append(String.format("  %-36s %5d%n", k, v)));
        others.forEach(o -> report.append("  other: ").append(o).append('\n'));
        long loading = nanos.values().stream().mapToLong(n -> n[0]).sum();
        report.append(String.format("time: %.1f s loading, %.1f s checking the weights, %.1f s making the files%n",
                loading / 1e9, (attemptNanos - loading) / 1e9, seconds - attemptNanos / 1e9));
        report.append(String.format("total %d files in %.1f s (%.1f s of this thread's CPU time) (%d loaded, %d refused), %d crashes; most heap one load"
                + " allocated: %.1f MB (%s)", total, seconds, cpu, loaded, total - loaded, crashes.size(),
                maxAllocated / 1048576.0, maxAllocatedKind));
        System.out.println(report);
        assertTrue(crashes.isEmpty(), () -> crashes.size() + " crashes:\n" + String.join("\n", crashes.subList(0,
                Math.min(20, crashes.size()))));
        assertEquals(0, outcomes.get("keras Lambda")[0]);
        assertEquals(0, outcomes.get("keras declared 4 GB")[0]);
        assertEquals(0, outcomes.get("keras zip bomb")[0]);
        assertFalse(outcomes.isEmpty());
        assertTrue(total >= 13 * ROUNDS, () -> "only " + outcomes);
        assertFalse(reasons.containsKey("other"), () -> "refusals of no known kind: see the report above");
    }

    private void attempt(String kind, byte[] bytes) throws Exception {
        attempt(kind, Files.write(fresh(""), bytes));
    }

    /** The model files are loaded into: the churn MLP, then the hand-written nested classifier. */
    private KilnModel model = ChurnNetModel.create(1);
    /** The weights each whole file holds, by kind prefix: cutting a file short may leave them readable, never different. */
    private final Map<String, float[][]> reference = new java.util.HashMap<>();

    /** The model's weights as plain arrays: compared bit for bit, faster than INDArray.equals. */
    private float[][] snapshot() {
        return model.getWeights().values().stream().map(w -> w.data().asFloat()).toArray(float[][]::new);
    }

    private long attemptNanos;
    private int files;

    /**
     * A new name for each mutant, the previous one deleted: rewriting one file in place makes ext4 flush it to disk
     * on every close (its auto_da_alloc), which took more time than loading.
     */
    private Path fresh(String extension) throws java.io.IOException {
        Files.deleteIfExists(dir.resolve("mutant-" + files + extension));
        files++;
        return dir.resolve("mutant-" + files + extension);
    }

    private void attempt(String kind, Path file) {
        long t0 = System.nanoTime();
        try {
            attemptTimed(kind, file);
        } finally {
            attemptNanos += System.nanoTime() - t0;
        }
    }

    private void attemptTimed(String kind, Path file) {
        float[][] before = snapshot();
        int[] counts = outcomes.computeIfAbsent(kind, k -> new int[2]);
        long thread = Thread.currentThread().getId();
        long allocatedBefore = threads.getThreadAllocatedBytes(thread);
        long started = System.nanoTime();
        try {
            try {
                KerasFiles.loadWeights(model, file);
            } finally {
                nanos.computeIfAbsent(kind, k -> new long[1])[0] += System.nanoTime() - started;
                long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
                if (allocated > maxAllocated) {
                    maxAllocated = allocated;
                    maxAllocatedKind = kind;
                }
                if (allocated > ALLOCATION_BOUND) {
                    crashes.add(kind + ": allocated " + allocated + " bytes of heap loading a file of "
                            + file.toFile().length() + " bytes");
                }
            }
            counts[0]++;
            if (kind.endsWith("truncated") && !java.util.Arrays.deepEquals(reference.get(kind.split(" ")[0]),
                    snapshot())) {
                crashes.add(kind + ": loaded other weights than the whole file holds");
            }
        } catch (KerasFileException e) {
            counts[1]++;
            String reason = reason(e.getMessage().substring(file.toString().length()));
            reasons.merge(reason, 1, Integer::sum);
            if (reason.equals("other") && others.size() < 10) {
                others.add(kind + ": " + e.getMessage());
            }
            if (!e.getMessage().startsWith(file + ": ") || e.getMessage().length() < file.toString().length() + 12) {
                crashes.add(kind + ": a message that does not say what is wrong: " + e.getMessage());
            } else if (!java.util.Arrays.deepEquals(before, snapshot())) {
                crashes.add(kind + ": refused, but the weights changed: " + e.getMessage());
            }
        } catch (Throwable t) {
            crashes.add(kind + ": " + t);
        }
    }

    /** What a refusal says is wrong, from its message (after the file's path). */
    static String reason(String m) {
        if (m.contains("is refused") || m.contains("nests models more than") || m.contains("Kiln never runs code") || m.contains("custom object") || m.contains("twice")
                || m.contains("declares or holds more than") || m.contains("is refused: its entry")) {
            return "unsafe or oversized: refused";
        }
        if (m.contains("neither a .keras archive") || m.contains("not a Keras") || m.contains("is an HDF5 file but")
                || m.contains("has no config.json") || m.contains("not a readable .keras archive")) {
            return "not a Keras file";
        }
        if (m.contains("not valid JSON") || m.contains("config that is not") || m.contains("without class_name")
                || m.contains("without a list of layers") || m.contains("not a Sequential or Functional")
                || m.contains("without a name") || m.contains("model_config attribute") || m.contains("no model config")) {
            return "malformed config";
        }
        if (m.contains(" in the file (") || m.contains("not float32 or float64") || m.contains("floating-point")
                || m.contains("not a scalar")) {
            return "weight shape or type mismatch";
        }
        if (m.contains("does not match") || m.contains("but the model's node") || m.contains("does not have")
                || m.contains("has layer '") || m.contains("nested model")) {
            return "architecture mismatch";
        }
        if (m.contains("has no group") || m.contains(" weights in ") || m.contains("gave no value")
                || m.contains("lists ") || m.contains("unexpected entry") || m.contains("numbered")
                || m.contains("malformed attribute") || m.contains("not a list of names")
                || m.contains("holds weights for layers") || m.contains("but no model_weights")) {
            return "weights missing or misplaced";
        }
        if (m.contains("is truncated")) {
            return "truncated (HDF5 end of file)";
        }
        if (m.contains("NaN or infinite")) {
            return "non-finite weights";
        }
        if (m.contains("damaged") || m.contains("not an HDF5 file") || m.contains("superblock")) {
            return "damaged (HDF5 or zip structure)";
        }
        return "other";
    }

    /**
     * {@code b} with one 8-byte little-endian value that equals a dimension of the model's weights (where HDF5 keeps a
     * dataset's shape) replaced by a huge one: 2^31, 2^40 or 2^62.
     */
    private static byte[] oversize(byte[] b, Random random) {
        List<Integer> at = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 8 <= b.length; i++) {
            long v = buf.getLong(i);
            if (v == 1 || v == 3 || v == 4 || v == 6 || v == 8 || v == 12 || v == 32 || v == 64) {
                at.add(i);
            }
        }
        byte[] out = b.clone();
        if (at.isEmpty()) {
            return out;
        }
        long[] huge = {1L << 31, 1L << 40, 1L << 62};
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(at.get(random.nextInt(at.size())),
                huge[random.nextInt(huge.length)]);
        return out;
    }

    /** A Functional layer holding a Functional layer ... {@code depth} models deep. */
    private static String deeplyNested(int depth) {
        String inner = "";
        for (int d = 0; d < depth; d++) {
            inner = "{\"class_name\": \"Functional\", \"name\": \"m" + d + "\", \"inbound_nodes\": [], \"config\":"
                    + " {\"name\": \"m" + d + "\", \"layers\": [" + inner + "], \"input_layers\": [],"
                    + " \"output_layers\": []}}";
        }
        return inner;
    }

    /** The config with one JSON value swapped for another kind: a number for a string, a list for a number, ... */
    private static byte[] editJson(byte[] config, Random random) {
        String c = new String(config, StandardCharsets.UTF_8);
        String[] from = {"\"units\": ", "\"activation\": ", "\"class_name\": ", "\"batch_shape\": ", "\"name\": ",
            "\"layers\": ", "\"config\": ", "\"use_bias\": "};
        String[] to = {"1e400, \"x\": ", "null, \"x\": ", "[[[[]]]], \"x\": ", "-1, \"x\": ", "\"\\u0000\", \"x\": ",
            "{}, \"x\": ", "\"Lambda\", \"x\": ", "2147483648, \"x\": "};
        String key = from[random.nextInt(from.length)];
        int[] starts = java.util.stream.IntStream.range(0, c.length()).filter(i -> c.startsWith(key, i)).toArray();
        if (starts.length == 0) {
            return config;
        }
        int i = starts[random.nextInt(starts.length)] + key.length();
        return (c.substring(0, i) + to[random.nextInt(to.length)] + c.substring(i)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] truncate(byte[] b, Random random) {
        return java.util.Arrays.copyOf(b, random.nextInt(b.length));
    }

    private static byte[] flip(byte[] b, Random random, int bits) {
        byte[] out = b.clone();
        for (int i = 0; i < bits; i++) {
            int at = random.nextInt(out.length * 8);
            out[at / 8] ^= (byte) (1 << (at % 8));
        }
        return out;
    }

    private Path zip(Map<String, byte[]> entries, String name, Function<byte[], byte[]> edit) throws Exception {
        List<Map.Entry<String, byte[]>> list = new ArrayList<>();
        entries.forEach((k, v) -> list.add(Map.entry(k, k.equals(name) ? edit.apply(v) : v)));
        return Mutations.write(fresh(".keras"), list);
    }

    private Path rename(Map<String, byte[]> entries, String from, String to) throws Exception {
        List<Map.Entry<String, byte[]>> list = new ArrayList<>();
        entries.forEach((k, v) -> list.add(Map.entry(k.equals(from) ? to : k, v)));
        return Mutations.write(dir.resolve("renamed.keras"), list);
    }

    /** The archive with model.weights.h5's size in the central directory patched to {@code size}. */
    private Path declaredSize(Map<String, byte[]> entries, long size) throws Exception {
        byte[] zip = Files.readAllBytes(zip(entries, "model.weights.h5", b -> b));
        byte[] name = "model.weights.h5".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 46 < zip.length; i++) {
            if (buf.getInt(i) == 0x02014b50 && buf.getShort(i + 28) == name.length
                    && java.util.Arrays.equals(java.util.Arrays.copyOfRange(zip, i + 46, i + 46 + name.length), name)) {
                buf.putInt(i + 24, (int) size); // uncompressed size in the central directory
            }
        }
        return Files.write(dir.resolve("declared.keras"), zip);
    }

    /** A deflated model.weights.h5 of 256 MB of zeros (about 250 KB compressed), its size declared honestly. */
    private Path bomb(Map<String, byte[]> entries) throws Exception {
        Path out = dir.resolve("bomb.keras");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(out))) {
            z.setLevel(Deflater.BEST_COMPRESSION);
            for (String name : List.of("metadata.json", "config.json")) {
                z.putNextEntry(new ZipEntry(name));
                z.write(entries.get(name));
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry("model.weights.h5"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                z.write(zeros);
            }
            z.closeEntry();
        }
        return out;
    }

    private static byte[] replace(byte[] bytes, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(StandardCharsets.US_ASCII);
        byte[] out = bytes.clone();
        for (int i = 0; i + f.length <= out.length; i++) {
            if (java.util.Arrays.equals(out, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, out, i, t.length);
            }
        }
        return out;
    }
}
