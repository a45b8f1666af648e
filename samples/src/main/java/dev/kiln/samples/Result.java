package dev.kiln.samples;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.train.Evaluation;
import dev.kiln.runtime.train.History;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a sample reached: the trained model, its training history and its final metrics on held-out data, by Keras
 * name, in display order ({@code loss}, {@code accuracy}, {@code main_output_accuracy}, ...).
 *
 * @param sample the sample's name, as on the command line
 * @param model the trained model
 * @param history the training epochs, with their throughput
 * @param test the final metrics on data the model did not train on
 */
public record Result(String sample, KilnModel model, History history, Map<String, Double> test) {
    public Result {
        test = Collections.unmodifiableMap(new LinkedHashMap<>(test));
    }

    /** A result whose test metrics are {@code evaluation}'s. */
    public static Result of(String sample, KilnModel model, History history, Evaluation evaluation) {
        return new Result(sample, model, history, new LinkedHashMap<>(evaluation.asMap()));
    }

    /** One test metric by Keras name. */
    public double get(String name) {
        Double value = test.get(name);
        if (value == null) {
            throw new IllegalArgumentException(sample + " has no test metric '" + name + "'; it has " + test.keySet());
        }
        return value;
    }
}
