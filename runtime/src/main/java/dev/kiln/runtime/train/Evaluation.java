package dev.kiln.runtime.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code evaluate} returns: the loss and metrics over a whole data set, by Keras name ({@code loss},
 * {@code accuracy}; with several outputs {@code <output>_<metric>} and {@code <output>_loss}), as Keras's
 * {@code evaluate(..., return_dict=True)}.
 */
public final class Evaluation {

    private final Map<String, Double> values;
    private final Map<String, Double> outputLosses;

    /**
     * @param values every value by Keras name, {@code loss} first
     * @param outputLosses each output's unweighted loss by output name (outputs that have a loss)
     */
    Evaluation(Map<String, Double> values, Map<String, Double> outputLosses) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.outputLosses = Collections.unmodifiableMap(new LinkedHashMap<>(outputLosses));
    }

    /** The total loss: the outputs' losses weighted by their loss weights, averaged over samples. */
    public double loss() {
        return get("loss");
    }

    /** Each output's unweighted loss by output node name (only outputs that have a loss). */
    public Map<String, Double> outputLosses() {
        return outputLosses;
    }

    /** The metrics alone (every name but {@code loss} and the {@code <output>_loss} names), in display order. */
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>(values);
        metrics.remove("loss");
        outputLosses.keySet().forEach(output -> metrics.remove(output + "_loss"));
        return Collections.unmodifiableMap(metrics);
    }

    /**
     * One value by Keras name.
     *
     * @throws IllegalArgumentException when there is no such name, listing those there are
     */
    public double get(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("Evaluation has no '" + name + "'; it has " + values.keySet());
        }
        return v;
    }

    /** The names, in display order. */
    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    /** Every value by name, in display order. */
    public Map<String, Double> asMap() {
        return values;
    }

    /** As Keras prints it: {@code loss: 0.3012 - accuracy: 0.9120}. */
    @Override
    public String toString() {
        return KerasFormat.logs(values).substring(3);
    }
}
