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
        for (NodeSpec n : spec.nodes()) { // refuses what Kiln cannot write before anything is written
            boolean states = !n.config().stateNames().isEmpty() && n.inputs().size() > 1;
            if (n.config() instanceof PartConfig || states) {
                throw new IllegalArgumentException(spec.modelName() + ": node '" + n.name() + "' "
                        + (states ? "takes initial states" : "selects a part of another node's values")
                        + "; saveKeras does not write nodes with several values or initial states yet");
            }
        }
        KerasGraph.of(spec);
    }

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

    // ---- config.json: a Functional model, nested models as Functional layers of their parents

    Map<String, Object> config() {
        KerasGraph graph = KerasGraph.of(spec);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("module", "keras.src.models.functional");
        root.put("class_name", "Functional");
        root.put("config", functional(graph, graph.root, KerasNaming.snakeCase(spec.modelName())));
        root.put("registered_name", "Functional");
        root.put("build_config", buildConfig(graph.root.inputs));
        root.put("compile_config", null);
        return root;
    }

    /** A Functional model's get_config(): its layers in Keras's order, its inputs and outputs. */
    private Map<String, Object> functional(KerasGraph graph, KerasGraph.Scope s, String name) {
        List<Object> layers = new ArrayList<>();
        for (Object layer : s.layers) {
            if (layer instanceof String input) {
                NodeSpec source = spec.node(input.substring("input:".length()));
                layers.add(inputEntry(s.inputNames.get(source.name()), source));
            } else if (layer instanceof KerasGraph.Op op) {
                layers.add(op.node.config() instanceof InputConfig ? inputEntry(op.name, op.node)
                        : layerEntry(graph, s, op));
            } else {
                layers.add(nestedEntry(graph, s, (KerasGraph.Scope) layer));
            }
        }
        List<Object> inputs = new ArrayList<>();
        for (NodeSpec in : s.inputs) {
            inputs.add(List.of(s.inputNames.get(in.name()), 0, 0));
        }
        List<Object> outputs = new ArrayList<>();
        for (NodeSpec out : s.outputs) {
            outputs.add(List.of(layerName(graph, s, out), graph.callIndex(s, out), 0));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("trainable", true);
        config.put("layers", layers);
        config.put("input_layers", inputs);
        config.put("output_layers", outputs);
        return config;
    }

    /** A nested model as a layer of its parent: its own Functional config, called once on its inputs. */
    private Map<String, Object> nestedEntry(KerasGraph graph, KerasGraph.Scope parent, KerasGraph.Scope s) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("module", "keras.src.models.functional");
        entry.put("class_name", "Functional");
        entry.put("config", functional(graph, s, s.name()));
        entry.put("registered_name", "Functional");
        entry.put("build_config", buildConfig(s.inputs));
        entry.put("name", s.name());
        entry.put("inbound_nodes", List.of(call(graph, parent, s.inputs)));
        return entry;
    }

    private Map<String, Object> buildConfig(List<NodeSpec> inputs) {
        List<Object> shapes = new ArrayList<>();
        for (NodeSpec in : inputs) {
            shapes.add(batchShape(in.shape()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input_shape", shapes.size() == 1 ? shapes.get(0) : shapes);
        return m;
    }

    /** An InputLayer named {@code name} for node {@code source}'s values (a model input, or a nested model's). */
    private static Map<String, Object> inputEntry(String name, NodeSpec source) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("batch_shape", batchShape(source.shape()));
        config.put("dtype", dtype(source));
        config.put("sparse", false);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("module", "keras.layers");
        entry.put("class_name", "InputLayer");
        entry.put("config", config);
        entry.put("registered_name", null);
        entry.put("name", name);
        entry.put("inbound_nodes", List.of());
        return entry;
    }

    private Map<String, Object> layerEntry(KerasGraph graph, KerasGraph.Scope s, KerasGraph.Op op) {
        NodeSpec n = op.node;
        LayerConfig c = n.config();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", op.name);
        if (c.kerasConfigHasTrainable()) {
            config.put("trainable", c.trainable());
        }
        config.put("dtype", dtypePolicy());
        c.kerasConfig().forEach((k, v) -> config.put(k, wrapped(v, c.trainable())));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("module", "keras.layers");
        entry.put("class_name", c.kerasClassName());
        entry.put("config", config);
        entry.put("registered_name", null);
        entry.put("build_config", buildConfig(n.inputs().stream().map(spec::node).toList()));
        entry.put("name", op.name);
        List<Object> inbound = new ArrayList<>();
        for (NodeSpec application : op.applications) {
            inbound.add(call(graph, s, application.inputs().stream().map(spec::node).toList()));
        }
        entry.put("inbound_nodes", inbound);
        return entry;
    }

    /** One call of a layer on {@code inputs}, as Keras 3 writes an inbound node; several inputs as one list. */
    private Map<String, Object> call(KerasGraph graph, KerasGraph.Scope s, List<NodeSpec> inputs) {
        List<Object> tensors = new ArrayList<>();
        for (NodeSpec in : inputs) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("shape", batchShape(in.shape()));
            config.put("dtype", dtype(in));
            config.put("keras_history", List.of(layerName(graph, s, in), graph.callIndex(s, in), 0));
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("class_name", "__keras_tensor__");
            t.put("config", config);
            tensors.add(t);
        }
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("args", tensors.size() == 1 ? List.of(tensors.get(0)) : List.of(tensors));
        call.put("kwargs", Map.of());
        return call;
    }

    /** The name, in scope {@code s}, of the layer whose output node {@code n} is. */
    private static String layerName(KerasGraph graph, KerasGraph.Scope s, NodeSpec n) {
        String producer = graph.producer(s, n);
        if (producer.startsWith("input:")) {
            return s.inputNames.get(n.name());
        }
        KerasGraph.Op op = s.ops.get(producer);
        return op != null ? op.name : producer.substring(producer.lastIndexOf('/') + 1);
    }

    private static Object dtype(NodeSpec n) {
        return n.config() instanceof InputConfig ic ? ic.kerasConfig().get("dtype") : "float32";
    }

    /**
     * A layer a wrapper holds ({@code {"class_name", "config"}} in its config) as Keras's serializer writes it, with
     * the module it is found in and the base settings every layer's config has; any other value as it is.
     */
    private static Object wrapped(Object value, boolean trainable) {
        if (!(value instanceof Map<?, ?> m) || !(m.get("class_name") instanceof String cls)
                || !(m.get("config") instanceof Map<?, ?> inner)) {
            return value;
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", inner.get("name"));
        config.put("trainable", trainable);
        config.put("dtype", dtypePolicy());
        inner.forEach((k, v) -> config.putIfAbsent(String.valueOf(k), v));
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("module", "keras.layers");
        layer.put("class_name", cls);
        layer.put("config", config);
        layer.put("registered_name", null);
        return layer;
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
        KerasGraph graph = KerasGraph.of(spec);
        try (WritableHdfFile hdf = HdfFile.write(h5)) {
            writeLayers(hdf.putGroup("layers"), graph.root, weights);
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

    /** A Functional's layers, each group named after its class and counted in Keras's order; a nested model's inside. */
    private void writeLayers(WritableGroup layers, KerasGraph.Scope s, Map<String, INDArray> weights) {
        Map<String, Integer> counts = new HashMap<>();
        for (Object layer : s.layers) {
            String className = layer instanceof KerasGraph.Op op ? op.node.config().kerasClassName()
                    : layer instanceof KerasGraph.Scope ? "Functional" : "InputLayer";
            String snake = KerasNaming.snakeCase(className);
            int k = counts.merge(snake, 1, Integer::sum) - 1;
            Map<String, WritableGroup> groups = new HashMap<>();
            groups.put("", layers.putGroup(k == 0 ? snake : snake + "_" + k));
            group(groups, "vars");
            if (layer instanceof KerasGraph.Scope nested) {
                writeLayers(group(groups, "layers"), nested, weights);
            } else if (layer instanceof KerasGraph.Op op) {
                writeVariables(groups, op.node.config(), KerasGraph.owner(op.node), weights);
            }
        }
    }

    private static void writeVariables(Map<String, WritableGroup> groups, LayerConfig c, String owner,
            Map<String, INDArray> weights) {
        for (Map.Entry<String, List<String>> g : c.kerasWeightGroups().entrySet()) {
            // every object on the way owns a vars group, empty but for the last: cell/vars, forward_layer/vars
            String[] parts = g.getKey().split("/");
            String within = "";
            for (int i = 0; i < parts.length - 1; i++) {
                within = within.isEmpty() ? parts[i] : within + "/" + parts[i];
                group(groups, within + "/vars");
            }
            WritableGroup vars = group(groups, g.getKey());
            List<String> names = g.getValue();
            for (int i = 0; i < names.size(); i++) {
                vars.putDataset(Integer.toString(i), nested(weights.get(owner + "/" + names.get(i))));
            }
        }
    }

    /** The group at {@code path} below a layer's group ({@code groups} has it at ""), made with its parents once. */
    private static WritableGroup group(Map<String, WritableGroup> groups, String path) {
        WritableGroup g = groups.get(path);
        if (g == null) {
            int slash = path.lastIndexOf('/');
            WritableGroup parent = group(groups, slash < 0 ? "" : path.substring(0, slash));
            g = parent.putGroup(path.substring(slash + 1));
            groups.put(path, g);
        }
        return g;
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
