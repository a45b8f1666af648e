package dev.kiln.keras;

import dev.kiln.keras.KerasArchitecture.KerasLayer;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the annotated {@code @Model} interface of a Keras file's Sequential or Functional model: one method per layer,
 * named after the Keras layer (made a Java identifier, so that {@link KerasFiles#loadWeights} matches it by name), with
 * every attribute that differs from Kiln's default spelled out. A layer Kiln lacks, or a setting it cannot express, is
 * an error naming the layer and its class, never a silent substitute.
 *
 * <p>Covers Dense, Dropout, Flatten, Activation, Embedding, SimpleRNN, LSTM, GRU and the merges (Add, Subtract,
 * Multiply, Average, Maximum, Minimum, Concatenate), single applications only (no shared or nested layers yet).
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
            try (HdfFile hdf = new HdfFile(path)) {
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
        private final Set<String> imports = new LinkedHashSet<>();
        private final Map<String, String> ids = new HashMap<>();

        Writer(Path path, KerasArchitecture arch, String pkg) {
            this.path = path;
            this.arch = arch;
            this.pkg = pkg;
        }

        String write() throws KerasFileException {
            List<String> methods = new ArrayList<>();
            List<KerasLayer> layers = arch.layers();
            Map<String, List<String>> inputsOf = inputs(layers);
            Set<String> outputs = outputs(layers);
            for (KerasLayer l : layers) {
                ids.put(l.name(), unique(KerasNaming.javaIdentifier(l.name())));
            }
            boolean sequential = !arch.modelClass().equals("Functional") && !arch.modelClass().equals("Model");
            if (sequential && !layers.isEmpty() && !layers.get(0).className().equals("InputLayer")) {
                // Keras 2's Sequential: the first layer carries batch_input_shape; give it an input node
                KerasLayer first = layers.get(0);
                ids.put("input", unique("input"));
                methods.add(input(first, "input"));
            }
            for (KerasLayer l : layers) {
                if (l.className().equals("InputLayer")) {
                    methods.add(input(l, l.name()));
                    continue;
                }
                List<String> in = inputsOf.get(l.name());
                List<String> annotations = new ArrayList<>();
                annotations.add(annotation(l, in.size()));
                if (outputs.contains(l.name())) {
                    imports.add("dev.kiln.dsl.Output");
                    annotations.add("@Output");
                }
                StringBuilder m = new StringBuilder();
                m.append("    /** Keras layer '").append(l.name()).append("' (").append(l.className()).append("). */\n");
                for (String a : annotations) {
                    m.append("    ").append(a).append('\n');
                }
                m.append("    Tensor ").append(ids.get(l.name())).append('(');
                for (int i = 0; i < in.size(); i++) {
                    m.append(i > 0 ? ", " : "").append("Tensor ").append(ids.get(in.get(i)));
                }
                m.append(");\n");
                methods.add(m.toString());
            }
            imports.add("dev.kiln.dsl.Model");
            imports.add("dev.kiln.dsl.Tensor");
            StringBuilder s = new StringBuilder();
            s.append("package ").append(pkg).append(";\n\n");
            imports.stream().sorted().forEach(i -> s.append("import ").append(i).append(";\n"));
            s.append("\n/** Converted by Kiln from the Keras ").append(arch.modelClass()).append(" model '")
                    .append(arch.modelName()).append("'. */\n");
            s.append("@Model\npublic interface ").append(typeName(arch.modelName())).append(" {\n");
            s.append(String.join("\n", methods));
            s.append("}\n");
            return s.toString();
        }

        private String unique(String id) {
            String out = id;
            for (int i = 1; ids.containsValue(out); i++) {
                out = id + "_" + i;
            }
            return out;
        }

        private Map<String, List<String>> inputs(List<KerasLayer> layers) throws KerasFileException {
            Map<String, List<String>> out = new LinkedHashMap<>();
            boolean sequential = !arch.modelClass().equals("Functional") && !arch.modelClass().equals("Model");
            String previous = "input";
            for (KerasLayer l : layers) {
                if (l.className().equals("InputLayer")) {
                    previous = l.name();
                    continue;
                }
                if (sequential) {
                    out.put(l.name(), List.of(previous));
                    previous = l.name();
                    continue;
                }
                Object inbound = l.entry().get("inbound_nodes");
                if (!(inbound instanceof List<?> nodes) || nodes.size() != 1) {
                    throw new KerasFileException(path, "layer '" + l.name() + "' (" + l.className() + ") is applied "
                            + (inbound instanceof List<?> n ? n.size() : 0) + " times; the converter handles layers"
                            + " applied once (shared layers are not converted yet)");
                }
                List<String> names = new ArrayList<>();
                collect(nodes.get(0), names);
                out.put(l.name(), names);
            }
            return out;
        }

        /** Layer names of an inbound node: Keras 3's keras_history, or Keras 2's [name, node, tensor, kwargs]. */
        private void collect(Object node, List<String> names) {
            if (node instanceof Map<?, ?> m) {
                if (m.get("config") instanceof Map<?, ?> c && c.get("keras_history") instanceof List<?> h) {
                    names.add((String) h.get(0));
                    return;
                }
                if (m.get("args") instanceof List<?> args) {
                    collect(args, names);
                }
                return;
            }
            if (node instanceof List<?> l) {
                if (!l.isEmpty() && l.get(0) instanceof String s) {
                    names.add(s);
                    return;
                }
                for (Object o : l) {
                    collect(o, names);
                }
            }
        }

        private Set<String> outputs(List<KerasLayer> layers) {
            Set<String> out = new LinkedHashSet<>();
            boolean sequential = !arch.modelClass().equals("Functional") && !arch.modelClass().equals("Model");
            if (sequential) {
                out.add(layers.get(layers.size() - 1).name());
                return out;
            }
            return outputLayers();
        }

        private Set<String> outputLayers() {
            Set<String> out = new LinkedHashSet<>();
            // Functional: output_layers is [[name, 0, 0], ...] or a single [name, 0, 0]
            Object spec = functionalConfig().get("output_layers");
            if (spec instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String s) {
                out.add(s);
            } else if (spec instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof List<?> t && !t.isEmpty() && t.get(0) instanceof String s) {
                        out.add(s);
                    }
                }
            }
            return out;
        }

        private Map<String, Object> functionalConfig() {
            return arch.config();
        }

        private String input(KerasLayer l, String name) throws KerasFileException {
            Object shape = l.config().containsKey("batch_shape") ? l.config().get("batch_shape")
                    : l.config().get("batch_input_shape");
            if (!(shape instanceof List<?> dims) || dims.size() < 2) {
                throw new KerasFileException(path, "layer '" + l.name() + "' states no input shape");
            }
            List<String> parts = new ArrayList<>();
            for (Object d : dims.subList(1, dims.size())) {
                parts.add(d == null ? "Input.NONE" : Long.toString(((Number) d).longValue()));
            }
            imports.add("dev.kiln.dsl.Input");
            String dtype = l.config().get("dtype") instanceof String s ? s : "float32";
            String dt = "";
            if (dtype.startsWith("int")) {
                imports.add("dev.kiln.dsl.DType");
                dt = ", dtype = DType.INT32";
            }
            String shapeText = parts.size() == 1 ? parts.get(0) : "{" + String.join(", ", parts) + "}";
            return "    /** Keras input '" + l.name() + "'. */\n    @Input(shape = " + shapeText + dt + ")\n    Tensor "
                    + ids.get(name) + "();\n";
        }

        private String annotation(KerasLayer l, int inputs) throws KerasFileException {
            Map<String, Object> c = l.config();
            List<String> attrs = new ArrayList<>();
            String cls = l.className();
            switch (cls) {
                case "Dense" -> {
                    attrs.add("units = " + integer(l, "units"));
                    activation(l, "activation", "activation", "linear", attrs);
                    bool(l, "use_bias", "useBias", true, attrs);
                }
                case "Dropout" -> attrs.add("rate = " + number(l, "rate"));
                case "Flatten" -> {
                }
                case "Activation" -> attrs.add(activationName(l, "activation"));
                case "Embedding" -> {
                    attrs.add("inputDim = " + integer(l, "input_dim"));
                    attrs.add("outputDim = " + integer(l, "output_dim"));
                    if (Boolean.TRUE.equals(c.get("mask_zero"))) {
                        throw unsupported(l, "mask_zero = True");
                    }
                }
                case "SimpleRNN", "LSTM", "GRU" -> {
                    attrs.add("units = " + integer(l, "units"));
                    activation(l, "activation", "activation", "tanh", attrs);
                    if (!cls.equals("SimpleRNN")) {
                        activation(l, "recurrent_activation", "recurrentActivation", "sigmoid", attrs);
                    }
                    bool(l, "use_bias", "useBias", true, attrs);
                    if (cls.equals("LSTM")) {
                        bool(l, "unit_forget_bias", "unitForgetBias", true, attrs);
                    }
                    if (cls.equals("GRU") && Boolean.FALSE.equals(c.get("reset_after"))) {
                        throw unsupported(l, "reset_after = False (Kiln's GRU is Keras 3's, reset_after = True)");
                    }
                    bool(l, "return_sequences", "returnSequences", false, attrs);
                    bool(l, "go_backwards", "goBackwards", false, attrs);
                    for (String k : List.of("return_state", "stateful")) {
                        if (Boolean.TRUE.equals(c.get(k))) {
                            throw unsupported(l, k + " = True");
                        }
                    }
                }
                case "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum" -> {
                }
                case "Concatenate" -> {
                    long axis = c.get("axis") instanceof Number n ? n.longValue() : -1;
                    if (axis != -1) {
                        attrs.add("axis = " + axis);
                    }
                }
                default -> throw new KerasFileException(path, "has layer '" + l.name() + "' of class " + cls
                        + ", which the converter does not handle (Kiln has no such layer, or its mapping is not"
                        + " written yet)");
            }
            String annotationName = cls.equals("Activation") ? "ActivationLayer" : cls;
            imports.add("dev.kiln.dsl." + annotationName);
            return "@" + annotationName + (attrs.isEmpty() ? "" : "(" + String.join(", ", attrs) + ")");
        }

        private KerasFileException unsupported(KerasLayer l, String what) {
            return new KerasFileException(path, "layer '" + l.name() + "' (" + l.className() + ") has " + what
                    + ", which Kiln cannot express");
        }

        private long integer(KerasLayer l, String key) throws KerasFileException {
            if (!(l.config().get(key) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new KerasFileException(path, "layer '" + l.name() + "' (" + l.className() + ") has no integer "
                        + key);
            }
            return n.longValue();
        }

        private String number(KerasLayer l, String key) throws KerasFileException {
            if (!(l.config().get(key) instanceof Number n)) {
                throw new KerasFileException(path, "layer '" + l.name() + "' (" + l.className() + ") has no " + key);
            }
            return Double.toString(n.doubleValue());
        }

        private void bool(KerasLayer l, String key, String attr, boolean kilnDefault, List<String> attrs) {
            if (l.config().get(key) instanceof Boolean b && b != kilnDefault) {
                attrs.add(attr + " = " + b);
            }
        }

        private void activation(KerasLayer l, String key, String attr, String kilnDefault, List<String> attrs)
                throws KerasFileException {
            Object v = l.config().get(key);
            if (v == null || kilnDefault.equals(v)) {
                return;
            }
            attrs.add(attr + " = " + activationName(l, key));
        }

        private String activationName(KerasLayer l, String key) throws KerasFileException {
            Object v = l.config().get(key);
            String name = v instanceof String s ? s.toUpperCase(Locale.ROOT) : null;
            try {
                if (name == null) {
                    throw new IllegalArgumentException();
                }
                dev.kiln.dsl.Activation.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new KerasFileException(path, "layer '" + l.name() + "' (" + l.className() + ") has " + key
                        + " " + Json.write(v) + ", which Kiln does not have");
            }
            imports.add("dev.kiln.dsl.Activation");
            return "Activation." + name;
        }
    }
}
