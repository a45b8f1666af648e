package dev.kiln.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.keras.models.ChurnNetModel;
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
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mutated Keras files (truncated, bit-flipped, entries renamed, dropped or doubled, a Lambda layer or a custom module
 * written into the config, a declared size of 4 GB, a zip bomb) never crash the loader: each either loads (a flipped
 * bit in a weight's value is still a valid file) or is refused with a {@link KerasFileException} whose message names the
 * file, and a refused file leaves the model's weights as they were.
 */
class KerasFuzzTest {
    private static final int ROUNDS = 100;

    @TempDir
    Path dir;

    private final Map<String, int[]> outcomes = new TreeMap<>();
    private final List<String> crashes = new ArrayList<>();

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
            reference.put(f[0], model.getWeights());
        }
        for (int i = 0; i < ROUNDS; i++) {
            for (byte[] base : List.of(keras, legacy, weights)) {
                String kind = base == keras ? "keras" : base == legacy ? "legacy" : "weights";
                attempt(kind + " truncated", truncate(base, random));
                attempt(kind + " bit-flipped", flip(base, random, 1 + random.nextInt(8)));
            }
            attempt("keras h5 entry bit-flipped", zip(entries, "model.weights.h5",
                    h5 -> flip(h5, random, 1 + random.nextInt(8))));
            attempt("keras h5 entry truncated", zip(entries, "model.weights.h5", h5 -> truncate(h5, random)));
            attempt("keras config bit-flipped", zip(entries, "config.json", c -> flip(c, random, 1)));
        }
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

        StringBuilder report = new StringBuilder("fuzz outcomes (loaded / refused by name):\n");
        int total = 0;
        for (Map.Entry<String, int[]> e : outcomes.entrySet()) {
            report.append(String.format("  %-30s %5d loaded  %5d refused%n", e.getKey(), e.getValue()[0],
                    e.getValue()[1]));
            total += e.getValue()[0] + e.getValue()[1];
        }
        report.append("  total ").append(total).append(" files, ").append(crashes.size()).append(" crashes");
        System.out.println(report);
        assertTrue(crashes.isEmpty(), () -> crashes.size() + " crashes:\n" + String.join("\n", crashes.subList(0,
                Math.min(20, crashes.size()))));
        assertEquals(0, outcomes.get("keras Lambda")[0]);
        assertEquals(0, outcomes.get("keras declared 4 GB")[0]);
        assertEquals(0, outcomes.get("keras zip bomb")[0]);
        assertFalse(outcomes.isEmpty());
    }

    private void attempt(String kind, byte[] bytes) throws Exception {
        attempt(kind, Files.write(dir.resolve("mutant"), bytes));
    }

    private final ChurnNetModel model = ChurnNetModel.create(1);
    /** The weights each whole file holds, by kind prefix: cutting a file short may leave them readable, never different. */
    private final Map<String, Map<String, INDArray>> reference = new java.util.HashMap<>();

    private void attempt(String kind, Path file) {
        Map<String, INDArray> before = model.getWeights();
        int[] counts = outcomes.computeIfAbsent(kind, k -> new int[2]);
        try {
            KerasFiles.loadWeights(model, file);
            counts[0]++;
            if (kind.endsWith("truncated") && !reference.get(kind.split(" ")[0]).equals(model.getWeights())) {
                crashes.add(kind + ": loaded other weights than the whole file holds");
            }
        } catch (KerasFileException e) {
            counts[1]++;
            if (!e.getMessage().startsWith(file + ": ") || e.getMessage().length() < file.toString().length() + 12) {
                crashes.add(kind + ": a message that does not say what is wrong: " + e.getMessage());
            } else if (!before.equals(model.getWeights())) {
                crashes.add(kind + ": refused, but the weights changed: " + e.getMessage());
            }
        } catch (Throwable t) {
            crashes.add(kind + ": " + t);
        }
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
        return Mutations.write(dir.resolve("mutant.keras"), list);
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
