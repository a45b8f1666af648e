package dev.kiln.runtime.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Orders a data set's arrays as a model takes them, or explains why they do not fit. */
final class Alignment {
    /**
     * What is being aligned, for messages: the model's part ("input", "output"), the data set's ("input", "target"),
     * what a missing array is called, and the factory that takes the arrays by name.
     */
    record Role(String modelPart, String dataPart, String missing, String byName) {
    }

    static final Role INPUTS = new Role("input", "input", "missing input '%s'", "Dataset.of(Map, Map)");
    static final Role PREDICTION_INPUTS = new Role("input", "input", "missing input '%s'", "Dataset.ofInputs(Map)");
    static final Role TARGETS = new Role("output", "target", "missing target for output '%s'", "Dataset.of(Map, Map)");

    private Alignment() {
    }

    /** The arrays in the model's order. */
    static INDArray[] arrange(Role role, boolean named, Map<String, INDArray> arrays, List<String> modelNames) {
        if (!named) {
            if (arrays.size() != modelNames.size()) {
                throw new IllegalArgumentException("the model has " + count(modelNames.size(), role.modelPart())
                        + " (" + String.join(", ", modelNames) + ") but the data set has "
                        + count(arrays.size(), "unnamed " + role.dataPart()) + "; pass them by name with "
                        + role.byName());
            }
            return arrays.values().toArray(new INDArray[0]);
        }
        List<String> unexpected = new ArrayList<>(arrays.keySet());
        unexpected.removeAll(modelNames);
        List<String> problems = new ArrayList<>();
        for (String name : modelNames) {
            if (!arrays.containsKey(name)) {
                problems.add(String.format(role.missing(), name) + ColumnNameSuggestions.didYouMean(name, unexpected));
            }
        }
        for (String name : unexpected) {
            problems.add("unexpected " + role.dataPart() + " '" + name + "'");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the data set's " + role.dataPart() + "s ("
                    + String.join(", ", arrays.keySet()) + ") do not match the model's " + role.modelPart() + "s ("
                    + String.join(", ", modelNames) + "): " + String.join("; ", problems));
        }
        INDArray[] ordered = new INDArray[modelNames.size()];
        for (int i = 0; i < ordered.length; i++) {
            ordered[i] = arrays.get(modelNames.get(i));
        }
        return ordered;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
