package dev.kiln.keras;

import dev.kiln.keras.KerasArchitecture.KerasLayer;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.ModelSpec;
import dev.kiln.runtime.ModelSpec.NodeSpec;
import dev.kiln.runtime.ModelSpec.VariableSpec;
import dev.kiln.runtime.layer.InputConfig;
import dev.kiln.runtime.layer.PartConfig;
import dev.kiln.runtime.layer.LayerConfig;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reads a Keras file's weights into a Kiln model: see {@link KerasFiles#loadWeights}. */
final class KerasImporter {
    /** Keys of get_config() that do not change what a loaded layer computes. */
    private static final Set<String> IGNORED_KEYS = Set.of("seed", "dtype", "name", "trainable");

    private final KilnModel model;
    private final ModelSpec spec;
    private final Path path;

    KerasImporter(KilnModel model, Path path) {
        this.model = model;
        this.spec = model.spec();
        this.path = path;
    }

    KerasImport load() throws IOException {
        try {
            return loadAny();
        } catch (KerasFileException | java.nio.file.NoSuchFileException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new KerasFileException(path, "is damaged (" + message(e) + ")");
        }
    }

    private KerasImport loadAny() throws IOException {
        KerasFormat format = KerasFormat.sniff(path);
        if (format == KerasFormat.KERAS_ZIP) {
            return loadArchive();
        }
        Hdf5Superblock.check(path, path, "");
        try (HdfFile hdf = openHdf(path)) {
            return guard(() -> {
                Attribute modelConfig = hdf.getAttribute("model_config");
                if (modelConfig != null) {
                    KerasArchitecture arch = KerasArchitecture.parse(json(stringAttribute(modelConfig)), path);
                    return load(arch, new WeightsFile.Legacy(path, hdf), "legacy .h5");
                }
                if (hdf.getChildren().get("layers") instanceof Group
                        || hdf.getChildren().keySet().stream().anyMatch(k -> k.startsWith("layers\\"))) {
                    return load(null, keras3(hdf, null), ".weights.h5");
                }
                throw new KerasFileException(path, "is an HDF5 file but not a Keras one: it has neither a"
                        + " model_config attribute (a legacy .h5 model) nor a layers group (a Keras 3 .weights.h5)");
            });
        }
    }

    private KerasImport loadArchive() throws IOException {
        try (KerasArchive archive = KerasArchive.open(path)) {
            KerasArchitecture arch = KerasArchitecture.parse(json(archive.json(KerasArchive.CONFIG)), path);
            String metadata = archive.json(KerasArchive.METADATA);
            if (metadata != null) {
                json(metadata); // well-formed or refused; its keras_version is informative only
            }
            Path tmp = Files.createTempFile("kiln-keras-", ".h5");
            try {
                archive.copyWeights(tmp, maxWeightsBytes());
                Hdf5Superblock.check(tmp, path, "has an entry " + KerasArchive.WEIGHTS + " that ");
                try (HdfFile hdf = openHdf(tmp)) {
                    return guard(() -> load(arch, keras3(hdf, arch), ".keras"));
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** The model's weights in float32 with room for Keras's optimizer state (Adam: two slots) and metadata. */
    private long maxWeightsBytes() {
        long params = spec.variables().stream().mapToLong(VariableSpec::length).sum();
        return 16L * params + (16L << 20);
    }

    private WeightsFile keras3(HdfFile hdf, KerasArchitecture arch) throws KerasFileException {
        if (arch != null) {
            return new WeightsFile.Keras3(path, hdf, arch.keras3Groups(path));
        }
        KerasGraph graph;
        try {
            graph = KerasGraph.of(spec);
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(path, "is a .weights.h5, and " + e.getMessage());
        }
        Map<String, String> groups = new HashMap<>();
        List<String[]> layers = graph.layersInKerasOrder().stream().map(op -> new String[] {KerasGraph.owner(op.node),
                op.node.config().kerasClassName()}).toList();
        keras3Groups(hdf, layers, "", "", groups);
        return new WeightsFile.Keras3(path, hdf, groups);
    }

    /**
     * Where a {@code .weights.h5}, which names no architecture, keeps each of the model's layers ({@code layers}: pairs
     * of name and Keras class, the names below {@code prefix}, in Keras's order: {@link KerasGraph}), as Keras 3 counts
     * them: {@code <snake_case(class)>[_n]} per class in that order; a nested model's layers ({@code outer/inner})
     * under its own group's {@code layers/}, whose class (Functional or Sequential: {@code functional[_n]} or {@code sequential[_n]}) only the file
     * tells, by which of the two holds the nested layers' groups.
     */
    private void keras3Groups(HdfFile hdf, List<String[]> layers, String prefix, String groupPrefix,
            Map<String, String> out) throws KerasFileException {
        if (prefix.chars().filter(c -> c == '/').count() > 16) {
            throw new KerasFileException(path, "nests models more than 16 deep");
        }
        Map<String, List<String[]>> nested = new LinkedHashMap<>();
        List<Object> items = new ArrayList<>();
        for (String[] layer : layers) {
            String relative = layer[0].substring(prefix.length());
            int slash = relative.indexOf('/');
            if (slash < 0) {
                items.add(layer);
            } else {
                String model = relative.substring(0, slash);
                if (!nested.containsKey(model)) {
                    items.add(model);
                }
                nested.computeIfAbsent(model, k -> new ArrayList<>()).add(layer);
            }
        }
        Map<String, Integer> counts = new HashMap<>();
        for (Object item : items) {
            if (item instanceof String[] layer) {
                out.put(layer[0], groupPrefix + counted(KerasNaming.snakeCase(layer[1]), counts, false));
                continue;
            }
            String model = (String) item;
            String inner = prefix + model + "/";
            String chosen = null;
            for (String candidate : new String[] {"functional", "sequential"}) {
                String group = groupPrefix + counted(candidate, counts, true);
                if (chosen == null && hdfGroup(hdf, "layers/" + group + "/layers") != null) {
                    chosen = candidate;
                }
            }
            if (chosen == null) {
                throw new KerasFileException(path, "has no group for the nested model '" + prefix + model
                        + "' (layers/" + groupPrefix + "functional" + suffix(counts.getOrDefault("functional", 0))
                        + " or layers/" + groupPrefix + "sequential" + suffix(counts.getOrDefault("sequential", 0))
                        + ", holding its layers)");
            }
            String group = groupPrefix + counted(chosen, counts, false);
            keras3Groups(hdf, nested.get(model), inner, group + "/layers/", out);
        }
    }

    /** {@code snake} numbered as Keras numbers repeats of a class ({@code dense}, {@code dense_1}, ...); peeked or taken. */
    private static String counted(String snake, Map<String, Integer> counts, boolean peek) {
        int n = counts.getOrDefault(snake, 0);
        if (!peek) {
            counts.put(snake, n + 1);
        }
        return snake + suffix(n);
    }

    private static String suffix(int n) {
        return n == 0 ? "" : "_" + n;
    }

    private static Group hdfGroup(HdfFile hdf, String path) {
        io.jhdf.api.Node n = hdf;
        for (String part : path.split("/")) {
            if (!(n instanceof Group g)) {
                return null;
            }
            n = g.getChildren().get(part);
        }
        return n instanceof Group g ? g : null;
    }

    /**
     * The model's layers in order: every node but inputs, parts (outputs of another node's layer, no layer of their
     * own) and later applications of a shared layer (or of a shared nested model), each once, under the name of the
     * weights it owns ({@link #owner}).
     */
    private List<NodeSpec> kilnLayers() {
        Set<String> owners = new java.util.HashSet<>();
        return spec.nodes().stream().filter(n -> !(n.config() instanceof InputConfig))
                .filter(n -> !(n.config() instanceof PartConfig)).filter(n -> owners.add(owner(n))).toList();
    }

    /**
     * The name a node's weights go by: its own, a shared layer's first application's, or for a node of a nested model
     * {@code outer/inner} (the nested model's output node is named after the outer node, its weights are not).
     */
    private static String owner(NodeSpec n) {
        return n.weights() == null ? n.name() : n.weights();
    }

    private KerasImport load(KerasArchitecture arch, WeightsFile weights, String formatName) throws IOException {
        List<NodeSpec> kiln = kilnLayers();
        Map<NodeSpec, KerasLayer> pairs;
        String matchedBy;
        if (arch == null) {
            pairs = new LinkedHashMap<>();
            for (NodeSpec n : kiln) {
                pairs.put(n, null);
            }
            matchedBy = "order";
        } else {
            List<KerasLayer> keras = arch.leaves(path);
            refuseUnknownClasses(keras);
            pairs = byName(kiln, keras);
            matchedBy = "name";
            if (pairs == null) {
                pairs = byOrder(kiln, keras);
                matchedBy = "order";
            }
        }
        weights.prepare(layerWeights(pairs, arch));
        Map<String, INDArray> values = new LinkedHashMap<>();
        Map<String, String> mapping = new LinkedHashMap<>();
        for (Map.Entry<NodeSpec, KerasLayer> p : pairs.entrySet()) {
            NodeSpec node = p.getKey();
            KerasLayer layer = p.getValue();
            String kerasName = layer == null ? owner(node) : layer.name();
            mapping.put(node.name(), kerasName);
            LayerConfig config = node.config();
            if (layer != null && !config.kerasClassName().equals(layer.className())) {
                throw new KerasFileException(path, "layer '" + layer.name() + "' is a " + layer.className()
                        + ", but the model's node '" + node.name() + "' is a " + config.kerasClassName());
            }
            List<Dataset> datasets = weights.weights(layer, config, kerasName);
            for (int i = 0; i < datasets.size(); i++) {
                String variable = owner(node) + "/" + config.weightNames().get(i);
                check(datasets.get(i), variable(variable), kerasName, node.name(), config.weightNames().get(i));
            }
            if (layer != null) {
                checkConfig(node, layer);
            }
            for (int i = 0; i < datasets.size(); i++) {
                String variable = owner(node) + "/" + config.weightNames().get(i);
                values.put(variable, read(datasets.get(i), variable(variable), kerasName, node.name(),
                        config.weightNames().get(i)));
            }
        }
        weights.checkAllUsed();
        for (VariableSpec v : spec.variables()) {
            if (!values.containsKey(v.name())) {
                throw new KerasFileException(path, "gave no value for the model's weight '" + v.name() + "'");
            }
        }
        model.setWeights(values);
        return new KerasImport(formatName, arch == null ? null : arch.modelClass(), matchedBy, mapping);
    }

    /** The paired layers' weights, in the Keras model's order (the file's, where it has an architecture). */
    private List<WeightsFile.LayerWeights> layerWeights(Map<NodeSpec, KerasLayer> pairs, KerasArchitecture arch)
            throws KerasFileException {
        List<Map.Entry<NodeSpec, KerasLayer>> ordered = new ArrayList<>(pairs.entrySet());
        if (arch != null) {
            List<String> order = arch.leaves(path).stream().map(KerasLayer::name).toList();
            ordered.sort(java.util.Comparator.comparingInt(e -> order.indexOf(e.getValue().name())));
        }
        List<WeightsFile.LayerWeights> out = new ArrayList<>();
        for (Map.Entry<NodeSpec, KerasLayer> e : ordered) {
            NodeSpec node = e.getKey();
            List<Boolean> trainable = node.config().weightNames().stream()
                    .map(w -> variable(owner(node) + "/" + w).trainable()).toList();
            out.add(new WeightsFile.LayerWeights(e.getValue() == null ? owner(node) : e.getValue().name(),
                    node.config(), trainable));
        }
        return out;
    }

    private VariableSpec variable(String name) {
        return spec.variables().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("the config names a weight the spec lacks: " + name));
    }

    /** Refuses a layer whose class the model does not have: Kiln builds nothing from a file, it only fills weights. */
    private void refuseUnknownClasses(List<KerasLayer> keras) throws KerasFileException {
        Set<String> known = kilnLayers().stream().map(n -> n.config().kerasClassName()).collect(Collectors.toSet());
        for (KerasLayer l : keras) {
            if (!known.contains(l.className())) {
                throw new KerasFileException(path, "has layer '" + l.name() + "' of class " + l.className()
                        + ", which the model " + spec.modelName() + " does not have"
                        + (known.isEmpty() ? "" : " (its layers are " + new java.util.TreeSet<>(known) + ")")
                        + "; Kiln loads weights only into a model of the same architecture and builds nothing from a"
                        + " file");
            }
        }
    }

    /** Pairs every Kiln layer with the Keras layer of its name (or the name made a Java identifier), if all have one. */
    private Map<NodeSpec, KerasLayer> byName(List<NodeSpec> kiln, List<KerasLayer> keras) {
        if (kiln.size() != keras.size()) {
            return null;
        }
        Map<String, KerasLayer> byName = new HashMap<>();
        for (KerasLayer l : keras) {
            byName.putIfAbsent(l.name(), l);
            byName.putIfAbsent(Arrays.stream(l.name().split("/", -1)).map(KerasNaming::javaIdentifier)
                    .collect(Collectors.joining("/")), l);
        }
        Map<NodeSpec, KerasLayer> pairs = new LinkedHashMap<>();
        for (NodeSpec n : kiln) {
            KerasLayer l = byName.get(owner(n));
            if (l == null || pairs.containsValue(l)) {
                return null;
            }
            pairs.put(n, l);
        }
        return pairs;
    }

    /** Pairs the layers in order, when the two lists have the same classes in the same order. */
    private Map<NodeSpec, KerasLayer> byOrder(List<NodeSpec> kiln, List<KerasLayer> keras)
            throws KerasFileException {
        Map<NodeSpec, KerasLayer> pairs = new LinkedHashMap<>();
        for (int i = 0; i < Math.max(kiln.size(), keras.size()); i++) {
            if (i >= kiln.size() || i >= keras.size()
                    || !kiln.get(i).config().kerasClassName().equals(keras.get(i).className())) {
                String file = i < keras.size() ? keras.get(i).className() + " '" + keras.get(i).name() + "'" : "nothing";
                String ours = i < kiln.size() ? kiln.get(i).config().kerasClassName() + " '" + kiln.get(i).name() + "'"
                        : "nothing";
                throw new KerasFileException(path, "does not match " + spec.modelName() + ": its layers' names differ"
                        + " from the model's nodes, and in order layer " + (i + 1) + " is " + file + " in the file but "
                        + ours + " in the model.\n  file:  " + describe(keras.stream().map(l -> l.name() + ":"
                        + l.className()).toList()) + "\n  model: " + describe(kiln.stream().map(n -> n.name() + ":"
                        + n.config().kerasClassName()).toList()));
            }
            pairs.put(kiln.get(i), keras.get(i));
        }
        return pairs;
    }

    private static String describe(List<String> layers) {
        return String.join(", ", layers);
    }

    /**
     * The file's get_config() must agree with the Kiln layer's on every plain setting both state, and on those of the
     * layer a wrapper holds. Axes are compared as positions in the node's input ({@code -1} and Keras 2's {@code [3]}
     * name the same axis of an image batch).
     */
    private void checkConfig(NodeSpec node, KerasLayer layer) throws KerasFileException {
        String ours = node.config().kerasClassName();
        if (!ours.equals(layer.className())) {
            throw new KerasFileException(path, "layer '" + layer.name() + "' is a " + layer.className()
                    + ", but the model's node '" + node.name() + "' is a " + ours);
        }
        int rank = node.inputs().isEmpty() ? 0 : spec.node(node.inputs().get(0)).shape().length + 1;
        checkConfig(node, layer, node.config().kerasConfig(), layer.config(), "", rank);
    }

    private void checkConfig(NodeSpec node, KerasLayer layer, Map<String, Object> mine, Map<?, ?> theirs,
            String within, int rank) throws KerasFileException {
        for (Map.Entry<String, Object> e : mine.entrySet()) {
            String key = e.getKey();
            if (IGNORED_KEYS.contains(key) || key.endsWith("_initializer") || !theirs.containsKey(key)) {
                continue;
            }
            Object their = theirs.get(key);
            Object my = e.getValue();
            if (my instanceof Map<?, ?> myLayer && myLayer.get("config") instanceof Map<?, ?> myConfig
                    && their instanceof Map<?, ?> theirLayer && theirLayer.get("config") instanceof Map<?, ?> c) {
                // a wrapped layer: its class, then its settings
                if (!myLayer.get("class_name").equals(theirLayer.get("class_name"))) {
                    throw new KerasFileException(path, "layer '" + layer.name() + "' (" + layer.className()
                            + ") wraps a " + theirLayer.get("class_name") + " as its " + within + key
                            + ", but the model's node '" + node.name() + "' wraps a " + myLayer.get("class_name"));
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> myInner = (Map<String, Object>) myConfig;
                checkConfig(node, layer, myInner, c, within + key + ".", 0);
                continue;
            }
            boolean axes = rank > 0 && (key.equals("axis") || key.equals("axes"));
            if (comparable(their) && comparable(my)
                    && !(axes ? same(axes(my, rank), axes(their, rank)) : same(my, their))) {
                throw new KerasFileException(path, "layer '" + layer.name() + "' (" + layer.className() + ") has "
                        + within + key + " = " + Json.write(their) + ", but the model's node '" + node.name()
                        + "' has " + within + key + " = " + Json.write(my));
            }
        }
    }

    /** An axis or axes, each counted from the batch axis (-1 the last of {@code rank}), one when all are one. */
    private static Object axes(Object v, int rank) {
        List<?> values = v instanceof List<?> l ? l : List.of(v);
        List<Long> out = new ArrayList<>();
        for (Object o : values) {
            if (!(o instanceof Number n)) {
                return v;
            }
            out.add(n.longValue() < 0 ? n.longValue() + rank : n.longValue());
        }
        return out.stream().distinct().count() == 1 ? List.of(out.get(0)) : out;
    }

    private static boolean comparable(Object v) {
        return v == null || v instanceof Number || v instanceof Boolean || v instanceof String || v instanceof int[]
                || v instanceof List<?> l && l.stream().allMatch(KerasImporter::comparable);
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof int[] arr) {
            a = Arrays.stream(arr).boxed().toList();
        }
        if (b instanceof int[] arr) {
            b = Arrays.stream(arr).boxed().toList();
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Math.abs(x.doubleValue() - y.doubleValue()) <= 1e-9 * Math.max(1, Math.abs(x.doubleValue()));
        }
        if (a instanceof Number x && b instanceof List<?> l && l.size() == 1) {
            return same(x, l.get(0)); // Dot's axes: 1 and [1, 1] differ, but 1 and [1] mean the same
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a == null ? b == null : a.equals(b);
    }

    /** Checks a dataset's shape and type against the weight before reading a byte of its data. */
    private void check(Dataset d, VariableSpec v, String layer, String node, String weight)
            throws KerasFileException {
        long[] expected = v.shape();
        int[] dims = d.getDimensions();
        long[] actual = Arrays.stream(dims).asLongStream().toArray();
        String where = "layer '" + layer + "'" + (layer.equals(node) ? "" : " (node '" + node + "')");
        if (!Arrays.equals(expected, actual)) {
            throw new KerasFileException(path, where + ": " + weight + " is " + shape(actual) + " in the file ("
                    + d.getPath() + ") but " + shape(expected) + " in the model");
        }
        if (!(d.getDataType() instanceof FloatingPoint fp) || (fp.getSize() != 4 && fp.getSize() != 8)
                || d.isCompound() || d.isVariableLength()) {
            throw new KerasFileException(path, where + ": " + weight + " (" + d.getPath() + ") holds "
                    + d.getDataType().getClass().getSimpleName() + " data of " + d.getDataType().getSize()
                    + " bytes, not float32 or float64");
        }
    }

    private INDArray read(Dataset d, VariableSpec v, String layer, String node, String weight)
            throws KerasFileException {
        check(d, v, layer, node, weight);
        long[] expected = v.shape();
        String where = "layer '" + layer + "'" + (layer.equals(node) ? "" : " (node '" + node + "')");
        Object flat = d.isEmpty() ? new float[0] : d.getDataFlat();
        INDArray out;
        if (flat instanceof float[] f) {
            out = Nd4j.create(f, expected, 'c');
        } else if (flat instanceof double[] dd) {
            out = Nd4j.create(dd, expected, 'c').castTo(DataType.FLOAT);
        } else {
            throw new KerasFileException(path, where + ": " + weight + " did not read as floating-point data");
        }
        if (expected.length == 0 && out.length() != 1) {
            throw new KerasFileException(path, where + ": " + weight + " is not a scalar");
        }
        long bad = firstNonFinite(flat);
        if (bad >= 0) {
            throw new KerasFileException(path, where + ": " + weight + " (" + d.getPath() + ") holds NaN or infinite"
                    + " values (the first at flat index " + bad + "); Kiln loads only finite weights, as its own"
                    + " checkpoints");
        }
        return out;
    }

    /** The index of the first NaN or infinite element, or -1. */
    private static long firstNonFinite(Object flat) {
        if (flat instanceof float[] f) {
            for (int i = 0; i < f.length; i++) {
                if (!Float.isFinite(f[i])) {
                    return i;
                }
            }
        } else if (flat instanceof double[] dd) {
            for (int i = 0; i < dd.length; i++) {
                if (!Double.isFinite(dd[i])) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String shape(long[] s) {
        return Arrays.stream(s).mapToObj(Long::toString).collect(Collectors.joining(", ", "(",
                s.length == 1 ? ",)" : ")"));
    }

    private String stringAttribute(Attribute a) throws KerasFileException {
        Object data = a.getSize() > 1 ? null : a.getData();
        if (data instanceof String[] arr && arr.length == 1) {
            data = arr[0];
        }
        if (!(data instanceof String s)) {
            throw new KerasFileException(path, "has a model_config attribute that is not a string");
        }
        return s;
    }

    private Object json(String text) throws KerasFileException {
        if (text == null) {
            throw new KerasFileException(path, "has no model config");
        }
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(path, "has a config that is not valid JSON: " + e.getMessage());
        }
    }

    private HdfFile openHdf(Path file) throws IOException {
        try {
            return Hdf5Mapped.open(file);
        } catch (RuntimeException | StackOverflowError e) {
            throw new KerasFileException(path, "is a damaged HDF5 file (" + message(e) + ")");
        } catch (OutOfMemoryError e) {
            throw tooLarge(e);
        }
    }

    interface Body {
        KerasImport run() throws IOException;
    }

    /** Turns any failure of the HDF5 library on a damaged file into an error that names the file. */
    private KerasImport guard(Body body) throws IOException {
        try {
            return body.run();
        } catch (RuntimeException | StackOverflowError e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null
                    && e.getMessage().startsWith(spec.modelName())) {
                throw new KerasFileException(path, e.getMessage());
            }
            throw new KerasFileException(path, "is a damaged HDF5 file (" + message(e) + ")");
        } catch (OutOfMemoryError e) {
            throw tooLarge(e);
        }
    }

    /**
     * A structure whose declared size the HDF5 library tried to allocate (a damaged size field): the allocation fails
     * at once, before any memory is used, and the file is refused. No fuzzed file has reached this; it is the last guard.
     */
    private KerasFileException tooLarge(OutOfMemoryError e) {
        return new KerasFileException(path, "is a damaged HDF5 file: it declares a structure too large to read ("
                + message(e) + ")");
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + KerasArchitecture.abbreviate(m));
    }
}
