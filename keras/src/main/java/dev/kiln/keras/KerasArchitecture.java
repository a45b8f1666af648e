package dev.kiln.keras;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Keras model's architecture as its file states it ({@code config.json} of a {@code .keras} archive, the root
 * attribute {@code model_config} of a legacy {@code .h5}): its class, name and layers in Keras's order. Parsing refuses
 * what would make Keras run code: a {@code Lambda} layer (its {@code function} field is marshalled Python bytecode), a
 * serialized Python function, and any object of a module that is not Keras's own (a custom layer, activation or
 * initializer) — Kiln loads none of them and runs nothing from a file.
 */
record KerasArchitecture(String modelClass, String modelName, List<KerasLayer> layers, Map<String, Object> config) {

    /** One layer: its name, Keras class and {@code get_config()} entries, plus the raw entry (inbound nodes). */
    record KerasLayer(String name, String className, Map<String, Object> config, Map<String, Object> entry) {
    }

    static final Set<String> MODELS = Set.of("Sequential", "Functional", "Model");
    private static final Set<String> CODE = Set.of("Lambda", "TFOpLambda", "SlicingOpLambda");
    /** Keras's own markers in a config: a reference to another layer's output, a tuple. */
    private static final Set<String> MARKERS = Set.of("__keras_tensor__", "__tuple__");

    static KerasArchitecture parse(Object json, Path file) throws KerasFileException {
        refuseCode(json, file, "config");
        if (!(json instanceof Map<?, ?> root)) {
            throw new KerasFileException(file, "has a model config that is not a JSON object");
        }
        Object className = root.get("class_name");
        if (!(className instanceof String cls) || !MODELS.contains(cls)) {
            throw new KerasFileException(file, "holds a " + describe(className) + ", not a Sequential or Functional"
                    + " model; Kiln imports only those");
        }
        Object config = root.get("config");
        List<?> layerList;
        Map<String, Object> modelConfig = Map.of();
        String name = cls.toLowerCase();
        if (config instanceof List<?> l) {
            layerList = l; // Keras 2.0's Sequential: a bare list of layers
        } else if (config instanceof Map<?, ?> m && m.get("layers") instanceof List<?> l) {
            layerList = l;
            if (m.get("name") instanceof String n) {
                name = n;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> mc = (Map<String, Object>) m;
            modelConfig = mc;
        } else {
            throw new KerasFileException(file, "has a " + cls + " config without a list of layers");
        }
        List<KerasLayer> layers = new ArrayList<>();
        for (Object o : layerList) {
            if (!(o instanceof Map<?, ?> entry) || !(entry.get("class_name") instanceof String layerClass)
                    || !(entry.get("config") instanceof Map<?, ?> layerConfig)) {
                throw new KerasFileException(file, "has a layer entry without class_name and config: "
                        + abbreviate(Json.write(o)));
            }
            Object layerName = layerConfig.get("name") instanceof String n ? n : entry.get("name");
            if (!(layerName instanceof String ln)) {
                throw new KerasFileException(file, "has a " + layerClass + " layer without a name");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> c = (Map<String, Object>) layerConfig;
            @SuppressWarnings("unchecked")
            Map<String, Object> e = (Map<String, Object>) entry;
            layers.add(new KerasLayer(ln, layerClass, c, e));
        }
        return new KerasArchitecture(cls, name, List.copyOf(layers), modelConfig);
    }

    /** Whether this layer is itself a model (Keras's nested models). */
    static boolean isModel(KerasLayer l) {
        return MODELS.contains(l.className());
    }

    /** A nested model's own architecture, from its layer entry. */
    static KerasArchitecture nested(KerasLayer l, Path file) throws KerasFileException {
        return parse(l.entry(), file);
    }

    /**
     * The layers that compute, in Keras's order: input layers left out, nested models replaced by their own layers
     * (recursively), named {@code outer/inner} as Kiln names the nodes of a {@code @Nested} model.
     */
    List<KerasLayer> leaves(Path file) throws KerasFileException {
        List<KerasLayer> out = new ArrayList<>();
        leaves("", file, out, 0);
        return out;
    }

    private void leaves(String prefix, Path file, List<KerasLayer> out, int depth) throws KerasFileException {
        if (depth > 16) {
            throw new KerasFileException(file, "nests models more than 16 deep");
        }
        for (KerasLayer l : layers) {
            if (l.className().equals("InputLayer")) {
                continue;
            }
            if (isModel(l)) {
                nested(l, file).leaves(prefix + l.name() + "/", file, out, depth + 1);
            } else {
                out.add(new KerasLayer(prefix + l.name(), l.className(), l.config(), l.entry()));
            }
        }
    }

    /**
     * Where Keras 3's weights file keeps each leaf layer ({@link #leaves} names): {@code <snake_case(class)>[_n]}, counted
     * per class within each model, and a nested model's layers under {@code <its group>/layers/}.
     */
    Map<String, String> keras3Groups(Path file) throws KerasFileException {
        Map<String, String> out = new java.util.HashMap<>();
        keras3Groups("", "", file, out, 0);
        return out;
    }

    private void keras3Groups(String prefix, String groupPrefix, Path file, Map<String, String> out, int depth)
            throws KerasFileException {
        if (depth > 16) {
            throw new KerasFileException(file, "nests models more than 16 deep");
        }
        Map<String, Integer> counts = new java.util.HashMap<>();
        for (KerasLayer l : layers) {
            String snake = KerasNaming.snakeCase(l.className());
            int n = counts.merge(snake, 1, Integer::sum) - 1;
            String group = groupPrefix + (n == 0 ? snake : snake + "_" + n);
            if (isModel(l)) {
                nested(l, file).keras3Groups(prefix + l.name() + "/", group + "/layers/", file, out, depth + 1);
            } else {
                out.put(prefix + l.name(), group);
            }
        }
    }

    /** Walks every object of the config and refuses the ones that carry or name code. */
    private static void refuseCode(Object node, Path file, String where) throws KerasFileException {
        if (node instanceof List<?> l) {
            for (Object o : l) {
                refuseCode(o, file, where);
            }
            return;
        }
        if (!(node instanceof Map<?, ?> m)) {
            return;
        }
        String name = m.get("config") instanceof Map<?, ?> c && c.get("name") instanceof String n ? n
                : m.get("name") instanceof String n2 ? n2 : where;
        Object cls = m.get("class_name");
        if (cls instanceof String c) {
            if (CODE.contains(c)) {
                throw new KerasFileException(file, "is refused: layer '" + name + "' is a " + c + ", whose config"
                        + " carries Python code (marshalled bytecode); Kiln never runs code from a file. Rewrite the"
                        + " Lambda as Kiln layers");
            }
            if (c.startsWith("__") && !MARKERS.contains(c)) {
                throw new KerasFileException(file, "is refused: '" + name + "' holds a serialized Python object ("
                        + c + "); Kiln never runs code from a file");
            }
        }
        Object module = m.get("module");
        if (module != null && !(module instanceof String s && (s.equals("keras") || s.startsWith("keras.")))) {
            throw new KerasFileException(file, "is refused: '" + name + "' is a custom object (" + describe(cls)
                    + " from module '" + module + "', not Keras's own); Kiln loads only Keras's built-in classes"
                    + " and imports no module named in a file");
        }
        Object registered = m.get("registered_name");
        if (registered != null && !(registered instanceof String r && (r.equals(cls) || r.startsWith("keras>")))) {
            throw new KerasFileException(file, "is refused: '" + name + "' is a custom object (registered as '"
                    + registered + "'); Kiln loads only Keras's built-in classes");
        }
        if ("lambda".equals(m.get("function_type")) || m.containsKey("function") && "Lambda".equals(cls)) {
            throw new KerasFileException(file, "is refused: '" + name + "' carries Python code; Kiln never runs code"
                    + " from a file");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            refuseCode(e.getValue(), file, name);
        }
    }

    private static String describe(Object className) {
        return className instanceof String s ? "'" + s + "'" : "model of no class";
    }

    static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
