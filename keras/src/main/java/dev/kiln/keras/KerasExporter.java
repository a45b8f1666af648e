package dev.kiln.keras;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.ModelSpec;
import dev.kiln.runtime.ModelSpec.NodeSpec;
import dev.kiln.runtime.layer.InputConfig;
import dev.kiln.runtime.layer.LayerConfig;
import dev.kiln.runtime.layer.PartConfig;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Writes a Kiln model as a Keras 3 {@code .keras} archive: see {@link KerasFiles#saveKeras}. */
final class KerasExporter {
    /** The Keras release whose layout the archive follows; Keras records its own version in the same field. */
    static final String KERAS_LAYOUT_VERSION = "3.10.0";
    /** Keras dates its archive's entries 1980-01-01, the zip format's earliest date. */
    private static final long ZIP_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();

    private final KilnModel model;
    private final ModelSpec spec;

    KerasExporter(KilnModel model) {
        this.model = model;
        this.spec = model.spec();
        for (NodeSpec n : spec.nodes()) {
            String keras = n.config().kerasClassName();
            if (WRAPPERS.contains(keras)) {
                throw new IllegalArgumentException(spec.modelName() + ": node '" + n.name() + "' is a " + keras
                        + "; Kiln does not write Keras's layout for wrapped layers yet (their weights sit under the"
                        + " wrapped layers' own groups, which no Keras was at hand to check). Nothing was written;"
                        + " save the model with model.save(path) instead");
            }
        }
    }

    /** Layers that hold other layers, whose weights Keras keeps under the inner layers' own groups. */
    private static final java.util.Set<String> WRAPPERS = java.util.Set.of("Bidirectional", "TimeDistributed");

    void save(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path h5 = Files.createTempFile(dir, "." + target.getFileName() + ".", ".h5.tmp");
        Path zip = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            writeWeights(h5);
            try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
                stored(z, KerasArchive.METADATA, Json.write(metadata()).getBytes(StandardCharsets.UTF_8));
                stored(z, KerasArchive.CONFIG, Json.write(config()).getBytes(StandardCharsets.UTF_8));
                stored(z, KerasArchive.WEIGHTS, Files.readAllBytes(h5));
            }
            try {
                Files.move(zip, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(zip, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(h5);
            Files.deleteIfExists(zip);
        }
    }

    void saveWeights(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path h5 = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            writeWeights(h5);
            try {
                Files.move(h5, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(h5, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(h5);
        }
    }

    private static void stored(ZipOutputStream z, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        e.setTime(ZIP_EPOCH);
        z.putNextEntry(e);
        z.write(bytes);
        z.closeEntry();
    }

    private static Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keras_version", KERAS_LAYOUT_VERSION);
        m.put("date_saved", LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern(
                "yyyy-MM-dd@HH:mm:ss")));
        m.put("written_by", "Kiln");
        return m;
    }

    // ---- config.json: a Functional model

    /**
     * Keras layers in Kiln's node order: one per node that owns its layer (a shared layer once). A part is no layer:
     * its consumers read an output tensor of the layer it belongs to.
     */
    private List<NodeSpec> layers() {
        return spec.nodes().stream().filter(n -> !(n.config() instanceof PartConfig))
                .filter(n -> n.weights() == null || n.weights().equals(n.name())).toList();
    }

    /**
     * The Keras tensor that holds node {@code name}'s value, as the node it is an output of and its index there: a
     * layer's part is output {@code 1 + k} of that layer's call (Keras's {@code [output, state_h, state_c]}), a nested
     * model's part is the tensor it copies, any other node its own output 0.
     */
    private Map.Entry<NodeSpec, Integer> tensor(String name) {
        NodeSpec n = spec.node(name);
        if (n.config() instanceof PartConfig p) {
            NodeSpec source = spec.node(n.inputs().get(0));
            return p.nestedOutput() ? tensor(source.name())
                    : Map.entry(source, 1 + source.config().partNames().indexOf(p.part()));
        }
        return Map.entry(n, 0);
    }

    private static String owner(NodeSpec n) {
        return n.weights() == null ? n.name() : n.weights();
    }

    Map<String, Object> config() {
        Map<String, Integer> application = new HashMap<>();
        Map<String, List<Object>> inbound = new LinkedHashMap<>();
        Map<String, Integer> callIndex = new HashMap<>();
        for (NodeSpec n : spec.nodes()) {
            if (n.config() instanceof PartConfig) {
                continue; // no call of its own: its consumers read an output of its layer's
            }
            String layer = owner(n);
            int k = application.merge(layer, 1, Integer::sum) - 1;
            callIndex.put(n.name(), k);
            if (n.config() instanceof InputConfig) {
                continue;
            }
            List<Object> tensors = new ArrayList<>();
            for (String in : n.inputs()) {
                Map.Entry<NodeSpec, Integer> t = tensor(in);
                tensors.add(kerasTensor(t.getKey(), callIndex.get(t.getKey().name()), t.getValue()));
            }
            Map<String, Object> call = new LinkedHashMap<>();
            boolean states = !n.config().stateNames().isEmpty() && tensors.size() > 1;
            // a recurrent layer's inputs after the sequence are Keras's call(sequences, initial_state=[...])
            call.put("args", tensors.size() == 1 || states ? List.of(tensors.get(0)) : List.of(tensors));
            call.put("kwargs", states ? Map.of("initial_state", tensors.subList(1, tensors.size())) : Map.of());
            inbound.computeIfAbsent(layer, x -> new ArrayList<>()).add(call);
        }
        List<Object> layers = new ArrayList<>();
        for (NodeSpec n : layers()) {
            layers.add(layerEntry(n, inbound.getOrDefault(n.name(), List.of())));
        }
        List<Object> inputs = new ArrayList<>();
        for (ModelSpec.InputSpec in : spec.inputs()) {
            inputs.add(List.of(in.name(), 0, 0));
        }
        List<Object> outputs = new ArrayList<>();
        for (ModelSpec.Output o : spec.outputs()) {
            Map.Entry<NodeSpec, Integer> t = tensor(o.spec().name());
            outputs.add(List.of(owner(t.getKey()), callIndex.get(t.getKey().name()), t.getValue()));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", KerasNaming.snakeCase(spec.modelName()));
        config.put("trainable", true);
        config.put("layers", layers);
        config.put("input_layers", inputs);
        config.put("output_layers", outputs);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("module", "keras.src.models.functional");
        root.put("class_name", "Functional");
        root.put("config", config);
        root.put("registered_name", "Functional");
        root.put("build_config", buildConfigOfModel());
        root.put("compile_config", null);
        return root;
    }

    private Map<String, Object> buildConfigOfModel() {
        List<Object> shapes = new ArrayList<>();
        for (ModelSpec.InputSpec in : spec.inputs()) {
            shapes.add(batchShape(in.shape()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input_shape", shapes.size() == 1 ? shapes.get(0) : shapes);
        return m;
    }

    private Map<String, Object> layerEntry(NodeSpec n, List<Object> inbound) {
        LayerConfig c = n.config();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", n.name());
        if (!(c instanceof InputConfig)) {
            config.put("trainable", c.trainable());
            config.put("dtype", dtypePolicy());
        }
        config.putAll(c.kerasConfig());
        if (c instanceof InputConfig) {
            config.put("sparse", false);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("module", "keras.layers");
        entry.put("class_name", c.kerasClassName());
        entry.put("config", config);
        entry.put("registered_name", null);
        if (!(c instanceof InputConfig)) {
            List<Object> shapes = new ArrayList<>();
            // a recurrent layer is built from its sequence's shape alone, its initial states being call arguments
            for (String in : c.stateNames().isEmpty() ? n.inputs() : n.inputs().subList(0, 1)) {
                shapes.add(batchShape(spec.node(in).shape()));
            }
            Map<String, Object> build = new LinkedHashMap<>();
            build.put("input_shape", shapes.size() == 1 ? shapes.get(0) : shapes);
            entry.put("build_config", build);
        }
        entry.put("name", n.name());
        entry.put("inbound_nodes", inbound);
        return entry;
    }

    /** Output {@code tensor} of call {@code index} of {@code from}'s layer. */
    private Map<String, Object> kerasTensor(NodeSpec from, int index, int tensor) {
        Map<String, Object> config = new LinkedHashMap<>();
        long[] shape = tensor == 0 ? from.shape() : partShape(from, tensor);
        config.put("shape", batchShape(shape));
        config.put("dtype", from.config() instanceof InputConfig ic ? ic.kerasConfig().get("dtype") : "float32");
        config.put("keras_history", List.of(owner(from), index, tensor));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("class_name", "__keras_tensor__");
        t.put("config", config);
        return t;
    }

    /** The shape of output {@code tensor} (1 or more) of {@code from}: that of the part node that selects it. */
    private long[] partShape(NodeSpec from, int tensor) {
        String part = from.config().partNames().get(tensor - 1);
        for (NodeSpec n : spec.nodes()) {
            if (n.config() instanceof PartConfig p && !p.nestedOutput() && p.part().equals(part)
                    && n.inputs().get(0).equals(from.name())) {
                return n.shape();
            }
        }
        throw new IllegalStateException("no node selects part " + part + " of " + from.name());
    }

    private static Map<String, Object> dtypePolicy() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras");
        m.put("class_name", "DTypePolicy");
        m.put("config", Map.of("name", "float32"));
        m.put("registered_name", null);
        return m;
    }

    private static List<Object> batchShape(long[] shape) {
        List<Object> l = new ArrayList<>();
        l.add(null);
        for (long d : shape) {
            l.add(d < 0 ? null : d);
        }
        return l;
    }

    // ---- model.weights.h5: Keras 3's class-named tree

    private void writeWeights(Path h5) throws IOException {
        Files.deleteIfExists(h5);
        Map<String, INDArray> weights = model.getWeights();
        Map<String, Integer> counts = new HashMap<>();
        try (WritableHdfFile hdf = HdfFile.write(h5)) {
            WritableGroup layers = hdf.putGroup("layers");
            for (NodeSpec n : layers()) {
                LayerConfig c = n.config();
                String snake = KerasNaming.snakeCase(c.kerasClassName());
                int k = counts.merge(snake, 1, Integer::sum) - 1;
                WritableGroup group = layers.putGroup(k == 0 ? snake : snake + "_" + k);
                WritableGroup vars = group.putGroup("vars");
                if (!c.kerasWeightsPath().equals("vars")) {
                    WritableGroup g = group;
                    String[] parts = c.kerasWeightsPath().split("/");
                    for (String part : parts) {
                        g = g.putGroup(part);
                    }
                    vars = g;
                }
                List<String> names = c.weightNames();
                for (int i = 0; i < names.size(); i++) {
                    INDArray w = weights.get(n.name() + "/" + names.get(i));
                    vars.putDataset(Integer.toString(i), nested(w));
                }
            }
            hdf.putGroup("vars");
            // jHDF 0.9.4 appends its "jHDF - version" note where the last dataset's data ended, over the header of
            // any group written after it (here the empty root "vars", which Keras's loader needs). A dataset written
            // last (root children are written in ConcurrentHashMap order) keeps the note at the end of the file.
            // Keras reads only the paths it asks for and ignores it.
            hdf.putDataset(lastWritten(List.of("layers", "vars")), new int[] {1});
        } catch (RuntimeException e) {
            throw new IOException("could not write " + h5 + ": " + e, e);
        }
    }

    /** A name that jHDF's root group (a ConcurrentHashMap filled in this order) iterates after {@code names}. */
    static String lastWritten(List<String> names) {
        for (int i = 0; ; i++) {
            String candidate = i == 0 ? "kiln_writer" : "kiln_writer_" + i;
            Map<String, Object> children = new ConcurrentHashMap<>();
            names.forEach(n -> children.put(n, n));
            children.put(candidate, candidate);
            String last = null;
            for (String k : children.keySet()) {
                last = k;
            }
            if (candidate.equals(last)) {
                return candidate;
            }
        }
    }

    /** An array as Java's nested {@code float} arrays, the form the HDF5 writer takes. */
    static Object nested(INDArray a) {
        float[] flat = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        long[] shape = a.shape();
        if (shape.length == 0) {
            return flat;
        }
        int[] dims = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = Math.toIntExact(shape[i]);
        }
        Object out = Array.newInstance(float.class, dims);
        fill(out, flat, dims, 0, new int[] {0});
        return out;
    }

    private static void fill(Object arr, float[] flat, int[] dims, int axis, int[] pos) {
        if (axis == dims.length - 1) {
            float[] row = (float[]) arr;
            System.arraycopy(flat, pos[0], row, 0, row.length);
            pos[0] += row.length;
            return;
        }
        for (int i = 0; i < dims[axis]; i++) {
            fill(Array.get(arr, i), flat, dims, axis + 1, pos);
        }
    }
}
