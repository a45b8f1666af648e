package dev.kiln.runtime.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything a saved model holds; {@link CheckpointFile} writes and reads it.
 *
 * @param modelClass the generated model's class name, e.g. {@code com.example.MnistModel}
 * @param architectureHash a fingerprint of the model's graph, so that weights are not loaded into another model
 * @param weights by Keras variable name ({@code node/kernel}, ...), in the model's order
 * @param optimizerConfig the optimizer's {@link dev.kiln.runtime.optim.Optimizer#config()}, or null before compile
 * @param optimizerState the optimizer's {@link dev.kiln.runtime.optim.Optimizer#state()}; empty without one
 * @param metadata free-form text, e.g. the Kiln version or the epoch
 */
public record Checkpoint(String modelClass, String architectureHash, Map<String, INDArray> weights,
        String optimizerConfig, Map<String, INDArray> optimizerState, Map<String, String> metadata) {

    /** Checks for nulls (but in {@code optimizerConfig}) and keeps unmodifiable copies of the maps, in their order. */
    public Checkpoint {
        Objects.requireNonNull(modelClass, "modelClass");
        Objects.requireNonNull(architectureHash, "architectureHash");
        weights = frozen(weights, "weights");
        optimizerState = frozen(optimizerState, "optimizerState");
        metadata = frozen(metadata, "metadata");
    }

    private static <V> Map<String, V> frozen(Map<String, V> map, String what) {
        Objects.requireNonNull(map, what);
        Map<String, V> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(Objects.requireNonNull(key, () -> "a key in " + what + " is null"),
                Objects.requireNonNull(value, () -> what + " '" + key + "' is null")));
        return Collections.unmodifiableMap(copy);
    }
}
