package dev.kiln.keras;

import dev.kiln.keras.KerasArchitecture.KerasLayer;
import dev.kiln.runtime.layer.LayerConfig;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The weights of a Keras file, by layer, in Keras's canonical order: where each layout keeps them, nothing read yet.
 * Two layouts: Keras 3's class-named tree ({@code layers/<snake_case(class)>[_n]/vars/<i>}, recurrent layers under
 * {@code cell/vars}; both {@code model.weights.h5} in a {@code .keras} archive and {@code .weights.h5}), and the legacy
 * full model's {@code model_weights/<layer name>} groups whose {@code weight_names} attribute lists the datasets.
 */
abstract class WeightsFile {
    final Path path;
    final HdfFile hdf;

    WeightsFile(Path path, HdfFile hdf) {
        this.path = path;
        this.hdf = hdf;
    }

    /**
     * The datasets of {@code layer} (a Keras layer of the file's config, or null where the file has none) matched to a
     * Kiln node of config {@code config}, whose index among the model's layers of its class is {@code classIndex} (0
     * for the first Dense, ...). An empty list for a layer without weights.
     */
    abstract List<Dataset> weights(KerasLayer layer, LayerConfig config, String where) throws KerasFileException;

    /** After all layers were read: fails when the file holds weights no layer of the model took. */
    abstract void checkAllUsed() throws KerasFileException;

    /**
     * One layer's weights as the model has them, before any is read: the Keras layer's name ({@code outer/inner} in a
     * nested model), its config, and whether each of its weights is trained.
     */
    record LayerWeights(String name, LayerConfig config, List<Boolean> trainable) {
    }

    /** Told every layer of the model, in the Keras model's order, before {@link #weights} is asked for one. */
    void prepare(List<LayerWeights> layers) throws KerasFileException {
    }

    /** Keras 3's tree, with the group of each layer named after its class, counted in the layers' order. */
    static final class Keras3 extends WeightsFile {
        private final Map<String, String> groupOfLayer = new HashMap<>();
        private final Set<String> used = new LinkedHashSet<>();

        /** {@code groups}: the group of each layer, by name ({@link KerasArchitecture#keras3Groups}). */
        Keras3(Path path, HdfFile hdf, Map<String, String> groups) {
            super(path, hdf);
            groupOfLayer.putAll(groups);
        }

        @Override
        List<Dataset> weights(KerasLayer layer, LayerConfig config, String name) throws KerasFileException {
            String group = groupOfLayer.get(name);
            Group layerGroup = layerGroup(group);
            int expected = config.weightNames().size();
            if (layerGroup == null) {
                if (expected == 0) {
                    return List.of();
                }
                throw new KerasFileException(path, "has no group layers/" + group + " for layer '" + name + "' ("
                        + config.kerasClassName() + "), which has " + expected + " weights");
            }
            used.add(group);
            used.add(group.split("/")[0]);
            List<Dataset> out = new ArrayList<>();
            for (Map.Entry<String, List<String>> g : config.kerasWeightGroups().entrySet()) {
                String where = "layers/" + group + "/" + g.getKey();
                Node vars = child(layerGroup, g.getKey());
                List<Dataset> datasets = vars instanceof Group v ? numbered(v, where) : List.of();
                if (datasets.size() != g.getValue().size()) {
                    throw new KerasFileException(path, "has " + datasets.size() + " weights in " + where
                            + " for layer '" + name + "' (" + config.kerasClassName() + "), but the model's layer has "
                            + g.getValue().size() + " (" + String.join(", ", g.getValue()) + ")");
                }
                out.addAll(datasets);
            }
            return out;
        }

        private Group layerGroup(String group) {
            Node layers = hdf.getChildren().get("layers");
            if (group.contains("/")) { // a nested model's layer: functional/layers/dense
                return layers instanceof Group g && child(g, group) instanceof Group lg ? lg : null;
            }
            if (layers instanceof Group g && g.getChildren().get(group) instanceof Group lg) {
                return lg;
            }
            // tf.keras 2.15 on Windows: flat groups named "layers\dense"
            return hdf.getChildren().get("layers\\" + group) instanceof Group lg ? lg : null;
        }

        private static Node child(Group g, String relative) {
            Node n = g;
            for (String part : relative.split("/")) {
                if (!(n instanceof Group gg)) {
                    return null;
                }
                n = gg.getChildren().get(part);
            }
            return n;
        }

        private List<Dataset> numbered(Group vars, String where) throws KerasFileException {
            List<Map.Entry<Integer, Dataset>> out = new ArrayList<>();
            for (Map.Entry<String, Node> e : vars.getChildren().entrySet()) {
                if (!e.getKey().matches("[0-9]{1,4}") || !(e.getValue() instanceof Dataset d)) {
                    throw new KerasFileException(path, "has an unexpected entry '" + e.getKey() + "' in " + where
                            + " (Keras names weights 0, 1, ...)");
                }
                out.add(Map.entry(Integer.parseInt(e.getKey()), d));
            }
            out.sort(Comparator.comparingInt(Map.Entry::getKey)); // numerically: "10" after "2"
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).getKey() != i) {
                    throw new KerasFileException(path, "has weights numbered " + out.stream().map(Map.Entry::getKey)
                            .toList() + " in " + where + ", not 0.." + (out.size() - 1));
                }
            }
            return out.stream().map(Map.Entry::getValue).toList();
        }

        @Override
        void checkAllUsed() throws KerasFileException {
            List<String> unused = new ArrayList<>();
            Map<String, Node> groups = new HashMap<>();
            if (hdf.getChildren().get("layers") instanceof Group g) {
                groups.putAll(g.getChildren());
            }
            hdf.getChildren().forEach((k, v) -> {
                if (k.startsWith("layers\\")) {
                    groups.put(k.substring("layers\\".length()), v);
                }
            });
            for (Map.Entry<String, Node> e : groups.entrySet()) {
                if (!used.contains(e.getKey()) && holdsData(e.getValue(), 0)) {
                    unused.add("layers/" + e.getKey());
                }
            }
            if (!unused.isEmpty()) {
                unused.sort(null);
                throw new KerasFileException(path, "holds weights for layers the model does not have: " + unused
                        + "; the file's architecture has more layers of these classes than the model");
            }
        }

        private static boolean holdsData(Node n, int depth) {
            if (n instanceof Dataset) {
                return true;
            }
            if (n instanceof Group g && depth < 8) {
                for (Node c : g.getChildren().values()) {
                    if (holdsData(c, depth + 1)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** The legacy full model: {@code model_weights/<layer>} with {@code weight_names} in canonical order. */
    static final class Legacy extends WeightsFile {
        private final Group modelWeights;
        private final Set<String> used = new LinkedHashSet<>();
        /** The datasets of each layer, by its Keras name, as {@link #prepare} dealt them out. */
        private final Map<String, List<Dataset>> datasets = new HashMap<>();

        Legacy(Path path, HdfFile hdf) throws KerasFileException {
            super(path, hdf);
            if (!(hdf.getChildren().get("model_weights") instanceof Group g)) {
                throw new KerasFileException(path, "has a model_config but no model_weights group: a legacy model"
                        + " saved without its weights");
            }
            this.modelWeights = g;
        }

        /**
         * Keras saves a legacy file by top-level layer: the group {@code model_weights/<layer>} lists the weights of the
         * layer and of every layer inside it (a nested model's, a wrapper's) in {@code _legacy_weights} order, the
         * trained ones first, then the others (BatchNormalization's moving statistics, a frozen layer's), each part in
         * the layers' order. The group's list is dealt out to its layers by that order, as Keras's loader does.
         */
        @Override
        void prepare(List<LayerWeights> layers) throws KerasFileException {
            Map<String, List<LayerWeights>> byGroup = new LinkedHashMap<>();
            for (LayerWeights l : layers) {
                byGroup.computeIfAbsent(l.name().split("/")[0], k -> new ArrayList<>()).add(l);
            }
            for (Map.Entry<String, List<LayerWeights>> e : byGroup.entrySet()) {
                String group = e.getKey();
                List<LayerWeights> members = e.getValue();
                int expected = members.stream().mapToInt(l -> l.config().weightNames().size()).sum();
                Node n = modelWeights.getChildren().get(group);
                if (!(n instanceof Group g)) {
                    if (expected == 0) {
                        continue;
                    }
                    throw new KerasFileException(path, "has no group model_weights/" + group + " for layer '" + group
                            + "'");
                }
                used.add(group);
                List<String> names = strings(g.getAttribute("weight_names"), "model_weights/" + group
                        + " weight_names");
                if (names.size() != expected) {
                    throw new KerasFileException(path, "lists " + names.size() + " weights " + names + " for layer '"
                            + group + "' (" + describe(members) + "), but the model's layer has " + expected + " ("
                            + members.stream().flatMap(l -> l.config().weightNames().stream().map(w -> members.size()
                                    == 1 ? w : l.name().substring(group.length() + 1) + "/" + w))
                                    .collect(Collectors.joining(", ")) + ")");
                }
                Map<LayerWeights, Dataset[]> dealt = new LinkedHashMap<>();
                members.forEach(l -> dealt.put(l, new Dataset[l.config().weightNames().size()]));
                int next = 0;
                for (boolean trained : new boolean[] {true, false}) {
                    for (LayerWeights l : members) {
                        for (int i = 0; i < l.trainable().size(); i++) {
                            if (l.trainable().get(i) == trained) {
                                dealt.get(l)[i] = dataset(g, group, names.get(next++));
                            }
                        }
                    }
                }
                dealt.forEach((l, d) -> datasets.put(l.name(), List.of(d)));
            }
        }

        private static String describe(List<LayerWeights> members) {
            return members.size() == 1 ? members.get(0).config().kerasClassName()
                    : "a model of " + members.size() + " layers";
        }

        private Dataset dataset(Group g, String group, String name) throws KerasFileException {
            if (!(resolve(g, name) instanceof Dataset ds)) {
                throw new KerasFileException(path, "lists the weight '" + name + "' for layer '" + group
                        + "', but model_weights/" + group + " holds no such dataset");
            }
            return ds;
        }

        @Override
        List<Dataset> weights(KerasLayer layer, LayerConfig config, String name) {
            return datasets.getOrDefault(name, List.of());
        }

        private static Node resolve(Group g, String relative) {
            Node n = g;
            for (String part : relative.split("/")) {
                if (part.isEmpty() || part.equals(".") || part.equals("..") || !(n instanceof Group gg)) {
                    return null;
                }
                n = gg.getChildren().get(part);
            }
            return n;
        }

        @Override
        void checkAllUsed() throws KerasFileException {
            List<String> unused = new ArrayList<>();
            for (Map.Entry<String, Node> e : modelWeights.getChildren().entrySet()) {
                if (!used.contains(e.getKey()) && e.getValue() instanceof Group g
                        && !strings(g.getAttribute("weight_names"), e.getKey()).isEmpty()) {
                    unused.add(e.getKey());
                }
            }
            if (!unused.isEmpty()) {
                throw new KerasFileException(path, "holds weights for layers the model does not have: " + unused);
            }
        }

        /** A string list attribute; Keras stores an empty list as a float64 array of shape (0,). */
        List<String> strings(Attribute a, String what) throws KerasFileException {
            if (a == null) {
                return List.of();
            }
            if (a.getDimensions().length > 1 || a.getSize() > 100_000) {
                throw new KerasFileException(path, "has a malformed attribute " + what);
            }
            Object data = a.getData();
            if (data instanceof String s) {
                return List.of(s);
            }
            if (data instanceof String[] arr) {
                return Arrays.asList(arr);
            }
            if (a.getSize() == 0) {
                return List.of();
            }
            throw new KerasFileException(path, "has an attribute " + what + " that is not a list of names");
        }
    }
}
