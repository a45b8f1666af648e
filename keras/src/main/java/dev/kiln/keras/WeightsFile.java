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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** Keras 3's tree, with the group of each layer named after its class, counted in the layers' order. */
    static final class Keras3 extends WeightsFile {
        private final Map<String, String> groupOfLayer = new HashMap<>();
        private final Set<String> used = new LinkedHashSet<>();

        /** {@code order}: the layers as Keras saved them (config order), as pairs of (name, class name). */
        Keras3(Path path, HdfFile hdf, List<String[]> order) {
            super(path, hdf);
            Map<String, Integer> counts = new HashMap<>();
            for (String[] layer : order) {
                String snake = KerasNaming.snakeCase(layer[1]);
                int n = counts.merge(snake, 1, Integer::sum) - 1;
                groupOfLayer.put(layer[0], n == 0 ? snake : snake + "_" + n);
            }
        }

        /** {@code groups}: the group of each layer, by name ({@link KerasArchitecture#keras3Groups}). */
        Keras3(Path path, HdfFile hdf, Map<String, String> groups) {
            super(path, hdf);
            groupOfLayer.putAll(groups);
        }

        @Override
        List<Dataset> weights(KerasLayer layer, LayerConfig config, String name) throws KerasFileException {
            String group = groupOfLayer.get(name);
            String where = "layers/" + group + "/" + config.kerasWeightsPath();
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
            Node vars = child(layerGroup, config.kerasWeightsPath());
            List<Dataset> datasets = vars instanceof Group g ? numbered(g, where) : List.of();
            if (datasets.size() != expected) {
                throw new KerasFileException(path, "has " + datasets.size() + " weights in " + where + " for layer '"
                        + name + "' (" + config.kerasClassName() + "), but the model's layer has " + expected + " ("
                        + String.join(", ", config.weightNames()) + ")");
            }
            return datasets;
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

        Legacy(Path path, HdfFile hdf) throws KerasFileException {
            super(path, hdf);
            if (!(hdf.getChildren().get("model_weights") instanceof Group g)) {
                throw new KerasFileException(path, "has a model_config but no model_weights group: a legacy model"
                        + " saved without its weights");
            }
            this.modelWeights = g;
        }

        @Override
        List<Dataset> weights(KerasLayer layer, LayerConfig config, String name) throws KerasFileException {
            int expected = config.weightNames().size();
            Node n = modelWeights.getChildren().get(name);
            if (!(n instanceof Group g)) {
                if (expected == 0) {
                    return List.of();
                }
                throw new KerasFileException(path, "has no group model_weights/" + name + " for layer '" + name + "'");
            }
            used.add(name);
            List<String> names = strings(g.getAttribute("weight_names"), "model_weights/" + name + " weight_names");
            if (names.size() != expected) {
                throw new KerasFileException(path, "lists " + names.size() + " weights " + names + " for layer '"
                        + name + "' (" + config.kerasClassName() + "), but the model's layer has " + expected + " ("
                        + String.join(", ", config.weightNames()) + ")");
            }
            List<Dataset> out = new ArrayList<>();
            for (String wn : names) {
                Node d = resolve(g, wn);
                if (!(d instanceof Dataset ds)) {
                    throw new KerasFileException(path, "lists the weight '" + wn + "' for layer '" + name
                            + "', but model_weights/" + name + " holds no such dataset");
                }
                out.add(ds);
            }
            return out;
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
