package dev.kiln.keras;

import dev.kiln.keras.KerasArchitecture.KerasLayer;
import dev.kiln.runtime.layer.KerasMapping;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the annotated {@code @Model} interface of a Keras file's Sequential or Functional model: one method per layer,
 * named after the Keras layer (made a Java identifier, so that {@link KerasFiles#loadWeights} matches it by name), with
 * every attribute that differs from Kiln's default spelled out. A layer Kiln lacks, or a setting it cannot express, is
 * an error naming the layer and its class, never a silent substitute.
 *
 * <p>Each layer's annotation is written by the {@link KerasMapping} next to its runtime config (no switch here); a Keras
 * class without one is refused as "Kiln cannot convert it yet". A layer applied more than once (Keras's shared layers)
 * becomes one node per application, the later ones {@code @Shared} with the first; a nested model becomes a member
 * {@code @Model} interface used through {@code @Nested}. A layer's further outputs (a recurrent layer's states with
 * {@code return_state}, a nested model's outputs after its first) become {@code @Part} nodes where the model reads
 * them, and a recurrent layer's {@code initial_state} its {@code @InitialState} parameters.
 */
public final class KerasConverter {
    private KerasConverter() {
    }

    /** The source of {@code pkg.<ModelName>}, from the Keras file at {@code path}. */
    public static String toSource(Path path, String pkg) throws IOException {
        KerasArchitecture arch = architecture(path);
        return new Writer(path, arch, pkg).write();
    }

    /** The simple name of the interface {@link #toSource} writes. */
    public static String interfaceName(Path path) throws IOException {
        return typeName(architecture(path).modelName());
    }

    static KerasArchitecture architecture(Path path) throws IOException {
        KerasFormat format = KerasFormat.sniff(path);
        try {
            if (format == KerasFormat.KERAS_ZIP) {
                try (KerasArchive archive = KerasArchive.open(path)) {
                    return KerasArchitecture.parse(Json.parse(archive.json(KerasArchive.CONFIG)), path);
                }
            }
            Hdf5Superblock.check(path, path, "");
            try (HdfFile hdf = Hdf5Mapped.open(path)) {
                Attribute a = hdf.getAttribute("model_config");
                if (a == null) {
                    throw new KerasFileException(path, "holds no architecture (a .weights.h5 has only weights)");
                }
                Object data = a.getData();
                if (data instanceof String[] arr && arr.length == 1) {
                    data = arr[0];
                }
                return KerasArchitecture.parse(Json.parse((String) data), path);
            }
        } catch (KerasFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KerasFileException(path, "is damaged (" + e + ")");
        }
    }

    static String typeName(String modelName) {
        StringBuilder b = new StringBuilder();
        for (String part : modelName.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        String s = b.length() == 0 || !Character.isJavaIdentifierStart(b.charAt(0)) ? "Keras" + b : b.toString();
        return s;
    }

    private static final class Writer {
        private final Path path;
        private final KerasArchitecture arch;
        private final String pkg;
        private final boolean sequential;
        private final Set<String> imports = new TreeSet<>();
        /** Kiln node of each application: "layer name#node index". */
        private final Map<String, String> ids = new HashMap<>();
        private final Set<String> taken = new HashSet<>();
        private final Map<String, KerasMapping> mappings = KerasMapping.byKerasClassName();
        private final int depth;

        Writer(Path path, KerasArchitecture arch, String pkg) {
            this(path, arch, pkg, 0);
        }

        Writer(Path path, KerasArchitecture arch, String pkg, int depth) {
            this.path = path;
            this.arch = arch;
            this.pkg = pkg;
            this.depth = depth;
            this.sequential = !arch.modelClass().equals("Functional") && !arch.modelClass().equals("Model");
        }

        String write() throws KerasFileException {
            String name = typeName(arch.modelName());
            String body = body(name, "");
            imports.add("dev.kiln.dsl.Model");
            imports.add("dev.kiln.dsl.Tensor");
            StringBuilder s = new StringBuilder();
            s.append("package ").append(pkg).append(";\n\n");
            imports.forEach(i -> s.append("import ").append(i).append(";\n"));
            s.append("\n/** Converted by Kiln from the Keras ").append(arch.modelClass()).append(" model '")
                    .append(arch.modelName()).append("'. */\n");
            s.append("@Model\npublic interface ").append(name).append(" {\n");
            s.append(body);
            s.append("}\n");
            return s.toString();
        }

        /** The interface's members: a member interface per nested model, then one method per node. */
        private String body(String typeName, String outerTypes) throws KerasFileException {
            List<String> methods = new ArrayList<>();
            List<String> nestedTypes = new ArrayList<>();
            List<KerasLayer> layers = arch.layers();
            if (layers.isEmpty()) {
                throw new KerasFileException(path, "holds a model without layers");
            }
            Map<String, List<List<String>>> applications = applications(layers);
            // the first application of each layer is named after the layer, later ones after it with _1, _2, ...
            for (KerasLayer l : layers) {
                ids.put(l.name() + "#0", unique(KerasNaming.javaIdentifier(l.name())));
            }
            for (KerasLayer l : layers) {
                List<List<String>> apps = applications.getOrDefault(l.name(), List.of());
                for (int i = 1; i < apps.size(); i++) {
                    ids.put(l.name() + "#" + i, unique(KerasNaming.javaIdentifier(l.name()) + "_" + i));
                }
            }
            Set<String> outputs = outputs(layers);
            Map<String, List<String>> parts = parts(layers, applications, outputs);
            if (sequential && !layers.get(0).className().equals("InputLayer")) {
                // Keras 2's Sequential: the first layer carries batch_input_shape; give it an input node
                ids.put("input#0", unique("input"));
                methods.add(input(layers.get(0), "input#0"));
            }
            Set<String> typeNames = new HashSet<>(List.of(outerTypes.split(",")));
            typeNames.add(typeName);
            for (KerasLayer l : layers) {
                if (l.className().equals("InputLayer")) {
                    methods.add(input(l, l.name() + "#0"));
                    continue;
                }
                List<List<String>> apps = applications.get(l.name());
                String annotation;
                if (KerasArchitecture.isModel(l)) {
                    String inner = typeName(l.name());
                    for (int i = 1; typeNames.contains(inner); i++) {
                        inner = typeName(l.name()) + i;
                    }
                    typeNames.add(inner);
                    nestedTypes.add(nestedType(l, inner, String.join(",", typeNames)));
                    imports.add("dev.kiln.dsl.Nested");
                    annotation = "@Nested(" + inner + ".class)";
                } else {
                    annotation = annotation(l);
                }
                for (int app = 0; app < apps.size(); app++) {
                    String id = ids.get(l.name() + "#" + app);
                    StringBuilder m = new StringBuilder();
                    m.append("    /** Keras ").append(KerasArchitecture.isModel(l) ? "nested model" : "layer")
                            .append(" '").append(l.name()).append("' (").append(l.className()).append(')')
                            .append(app == 0 ? "" : ", applied again (node " + app + ")").append(". */\n");
                    m.append("    ").append(app == 0 ? annotation : shared(ids.get(l.name() + "#0"))).append('\n');
                    if (outputs.contains(l.name() + "#" + app)) {
                        imports.add("dev.kiln.dsl.Output");
                        m.append("    @Output\n");
                    }
                    m.append("    Tensor ").append(id).append('(');
                    List<String> in = apps.get(app);
                    boolean states = !KerasArchitecture.isModel(l) && !states(l).isEmpty();
                    for (int i = 0; i < in.size(); i++) {
                        String source = ids.get(in.get(i));
                        if (source == null) {
                            throw new KerasFileException(path, "layer '" + l.name() + "' reads '" + in.get(i)
                                    .replace("#", "' node ") + ", which the model does not have");
                        }
                        if (states && i > 0) {
                            imports.add("dev.kiln.dsl.InitialState");
                        }
                        m.append(i > 0 ? ", " : "").append(states && i > 0 ? "@InitialState " : "").append("Tensor ")
                                .append(source);
                    }
                    m.append(");\n");
                    methods.add(m.toString());
                    for (String part : parts.getOrDefault(l.name() + "#" + app, List.of())) {
                        methods.add(part(l, part, id, outputs.contains(part)));
                    }
                }
            }
            List<String> members = new ArrayList<>(nestedTypes);
            members.addAll(methods);
            return String.join("\n", members);
        }

        /** The states of layer {@code l} by their Kiln names, as its mapping gives them; none for a layer Kiln lacks. */
        private List<String> states(KerasLayer l) {
            KerasMapping mapping = mappings.get(l.className());
            return mapping == null ? List.of() : mapping.states();
        }

        /**
         * The part keys ({@code layer#node@k}, output {@code k} of that application) that the model reads, by the
         * application they belong to, each with its node's name in {@link #ids}: {@code lstm_h} for an LSTM's state.
         */
        private Map<String, List<String>> parts(List<KerasLayer> layers, Map<String, List<List<String>>> applications,
                Set<String> outputs) throws KerasFileException {
            Set<String> read = new java.util.TreeSet<>();
            applications.values().forEach(apps -> apps.forEach(read::addAll));
            read.addAll(outputs);
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (String key : read) {
                int at = key.indexOf('@');
                if (at < 0) {
                    continue;
                }
                String layerName = key.substring(0, key.indexOf('#'));
                KerasLayer l = layers.stream().filter(x -> x.name().equals(layerName)).findFirst().orElse(null);
                if (l == null) {
                    continue; // reported where it is read
                }
                String part = partName(l, Integer.parseInt(key.substring(at + 1)));
                ids.put(key, unique(ids.get(key.substring(0, at)) + "_" + part));
                out.computeIfAbsent(key.substring(0, at), k -> new ArrayList<>()).add(key);
            }
            return out;
        }

        /**
         * The name of output {@code k} (1 or more) of layer {@code l}: the state {@code return_state} gives there, or a
         * nested model's output node.
         */
        private String partName(KerasLayer l, int k) throws KerasFileException {
            if (KerasArchitecture.isModel(l)) {
                Object spec = KerasArchitecture.nested(l, path).config().get("output_layers");
                if (spec instanceof List<?> outs && outs.size() > k && outs.get(k) instanceof List<?> t
                        && t.size() > 2 && t.get(2) instanceof Number n && n.intValue() == 0) {
                    return KerasNaming.javaIdentifier(String.valueOf(t.get(0)));
                }
                throw new KerasFileException(path, "reads output " + k + " of nested model '" + l.name() + "', which"
                        + " is not one of its layers' own outputs");
            }
            List<String> states = Boolean.TRUE.equals(l.config().get("return_state")) ? states(l) : List.of();
            if (k - 1 >= states.size()) {
                throw new KerasFileException(path, "reads output " + k + " of layer '" + l.name() + "' ("
                        + l.className() + "), which gives " + (1 + states.size()) + " output"
                        + (states.isEmpty() ? "" : "s"));
            }
            return states.get(k - 1);
        }

        /** The {@code @Part} node {@code key} names: output {@code k} of {@code source}'s application. */
        private String part(KerasLayer l, String key, String source, boolean output) throws KerasFileException {
            int k = Integer.parseInt(key.substring(key.indexOf('@') + 1));
            imports.add("dev.kiln.dsl.Part");
            StringBuilder m = new StringBuilder();
            m.append("    /** Output ").append(k).append(" of Keras ").append(KerasArchitecture.isModel(l)
                    ? "nested model" : "layer").append(" '").append(l.name()).append("'. */\n");
            m.append("    @Part(\"").append(partName(l, k)).append("\")\n");
            if (output) {
                imports.add("dev.kiln.dsl.Output");
                m.append("    @Output\n");
            }
            m.append("    Tensor ").append(ids.get(key)).append("(Tensor ").append(source).append(");\n");
            return m.toString();
        }

        /** A nested Keras model as a member {@code @Model} interface, written by a writer of its own. */
        private String nestedType(KerasLayer l, String name, String outerTypes) throws KerasFileException {
            if (depth >= 16) {
                throw new KerasFileException(path, "nests models more than 16 deep");
            }
            KerasArchitecture inner = KerasArchitecture.nested(l, path);
            Writer w = new Writer(path, inner, pkg, depth + 1);
            String body = w.body(name, outerTypes);
            imports.addAll(w.imports);
            imports.add("dev.kiln.dsl.Model");
            StringBuilder s = new StringBuilder();
            s.append("    /** Keras nested ").append(inner.modelClass()).append(" model '").append(inner.modelName())
                    .append("'. */\n    @Model\n    interface ").append(name).append(" {\n");
            body.lines().forEach(line -> s.append(line.isEmpty() ? "" : "    " + line).append('\n'));
            s.append("    }\n");
            return s.toString();
        }

        private String shared(String first) {
            imports.add("dev.kiln.dsl.Shared");
            return "@Shared(\"" + first + "\")";
        }

        private String unique(String id) {
            String out = id;
            for (int i = 1; taken.contains(out); i++) {
                out = id + "_" + i;
            }
            taken.add(out);
            return out;
        }

        /**
         * The inputs of every application of every layer, as "layer#node" keys: one application per inbound node (a
         * shared layer has several), in a Sequential model the previous layer.
         */
        private Map<String, List<List<String>>> applications(List<KerasLayer> layers) throws KerasFileException {
            Map<String, List<List<String>>> out = new LinkedHashMap<>();
            String previous = "input#0";
            for (KerasLayer l : layers) {
                if (l.className().equals("InputLayer")) {
                    previous = l.name() + "#0";
                    continue;
                }
                if (sequential) {
                    out.put(l.name(), List.of(List.of(previous)));
                    previous = l.name() + "#0";
                    continue;
                }
                Object inbound = l.entry().get("inbound_nodes");
                if (!(inbound instanceof List<?> nodes) || nodes.isEmpty()) {
                    throw new KerasFileException(path, "layer '" + l.name() + "' (" + l.className() + ") is applied to"
                            + " nothing (no inbound_nodes)");
                }
                List<List<String>> apps = new ArrayList<>();
                for (Object node : nodes) {
                    List<String> names = new ArrayList<>();
                    collect(node, names);
                    apps.add(names);
                }
                out.put(l.name(), apps);
            }
            return out;
        }

        /** Layer applications of an inbound node: Keras 3's keras_history, or Keras 2's [name, node, tensor, kwargs]. */
        private void collect(Object node, List<String> names) throws KerasFileException {
            if (node instanceof Map<?, ?> m) {
                if (m.get("config") instanceof Map<?, ?> c && c.get("keras_history") instanceof List<?> h) {
                    names.add(reference(h));
                    return;
                }
                if (m.get("args") instanceof List<?> args) {
                    collect(args, names);
                }
                if (m.get("kwargs") instanceof Map<?, ?> kwargs && kwargs.get("initial_state") != null) {
                    collect(kwargs.get("initial_state"), names); // a recurrent layer's states, after its sequence
                }
                return;
            }
            if (node instanceof List<?> l) {
                if (!l.isEmpty() && l.get(0) instanceof String) {
                    names.add(reference(l));
                    return;
                }
                for (Object o : l) {
                    collect(o, names);
                }
            }
        }

        /** "layer#node" of [layer, node index, tensor index, ...], or "layer#node@k" for output {@code k > 0}. */
        private String reference(List<?> h) {
            int node = h.size() > 1 && h.get(1) instanceof Number n ? n.intValue() : 0;
            int tensor = h.size() > 2 && h.get(2) instanceof Number n ? n.intValue() : 0;
            return h.get(0) + "#" + node + (tensor == 0 ? "" : "@" + tensor);
        }

        private Set<String> outputs(List<KerasLayer> layers) throws KerasFileException {
            Set<String> out = new LinkedHashSet<>();
            if (sequential) {
                out.add(layers.get(layers.size() - 1).name() + "#0");
                return out;
            }
            // Functional: output_layers is [[name, node, tensor], ...] or a single [name, node, tensor]
            Object spec = arch.config().get("output_layers");
            if (spec instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String) {
                out.add(reference(l));
            } else if (spec instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof List<?> t && !t.isEmpty() && t.get(0) instanceof String) {
                        out.add(reference(t));
                    }
                }
            }
            return out;
        }

        private String input(KerasLayer l, String key) throws KerasFileException {
            Object shape = l.config().containsKey("batch_shape") ? l.config().get("batch_shape")
                    : l.config().get("batch_input_shape");
            if (!(shape instanceof List<?> dims) || dims.size() < 2) {
                throw new KerasFileException(path, "layer '" + l.name() + "' states no input shape");
            }
            List<String> parts = new ArrayList<>();
            for (Object d : dims.subList(1, dims.size())) {
                if (d != null && !(d instanceof Number)) {
                    throw new KerasFileException(path, "layer '" + l.name() + "' has an input shape of "
                            + Json.write(d));
                }
                parts.add(d == null ? "Input.NONE" : Long.toString(((Number) d).longValue()));
            }
            imports.add("dev.kiln.dsl.Input");
            String dtype = l.config().get("dtype") instanceof String s ? s : "float32";
            String dt = "";
            if (dtype.startsWith("int") || dtype.equals("float64")) {
                imports.add("dev.kiln.dsl.DType");
                dt = ", dtype = DType." + (dtype.equals("int64") ? "INT64" : dtype.equals("float64") ? "FLOAT64"
                        : "INT32");
            }
            String shapeText = parts.size() == 1 ? parts.get(0) : "{" + String.join(", ", parts) + "}";
            return "    /** Keras input '" + l.name() + "'. */\n    @Input(shape = " + shapeText + dt + ")\n    Tensor "
                    + ids.get(key) + "();\n";
        }

        /** The layer's annotation, written by the mapping next to its runtime config. */
        private String annotation(KerasLayer l) throws KerasFileException {
            KerasMapping mapping = mappings.get(l.className());
            if (mapping == null) {
                throw new KerasFileException(path, "has layer '" + l.name() + "' of class " + l.className()
                        + ": Kiln cannot convert " + l.className() + " yet");
            }
            // Keras 3 states each layer's input shape in its build_config; a merge's is a list of shapes
            List<?> inputShape = l.entry().get("build_config") instanceof Map<?, ?> b
                    && b.get("input_shape") instanceof List<?> shape && shape.stream().noneMatch(d -> d instanceof List)
                    ? shape : null;
            KerasMapping.Layer layer = new KerasMapping.Layer(l.name(), l.className(), l.config(), inputShape);
            try {
                String annotation = mapping.annotation(layer);
                imports.addAll(layer.imports());
                return annotation;
            } catch (IllegalArgumentException e) {
                throw new KerasFileException(path, e.getMessage());
            }
        }
    }
}
