package dev.kiln.runtime.layer;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer's attributes, typed: what a node of a generated model computes, as the processor decoded it from the
 * layer's annotation. The processor writes one record per node into the generated {@code SPEC}; the reference
 * interpreter, summaries and the Keras-file work read it. Each record is also the one place that knows its layer's Keras
 * names: its {@code class_name}, its {@code get_config()} keys and its weights' names, in the order Keras creates them.
 *
 * <p>The family is open (not {@code sealed}) on purpose: a sealed {@code permits} clause would be one more list every
 * new layer edits. Completeness is held by a test instead, which walks the DSL's layer annotations and fails when one
 * lacks its config, kernel or reference. See "Adding a layer" in the README.
 */
public interface LayerConfig {
    /** Keras's {@code class_name}, e.g. {@code Dense}. */
    String kerasClassName();

    /** The layer's own {@code get_config()} entries (without {@code name}, {@code trainable} and {@code dtype}). */
    Map<String, Object> kerasConfig();

    /**
     * The names of the values the layer gives besides its output, in Keras's order of outputs (an LSTM's final states
     * {@code h} and {@code c} with {@code returnState}): what a {@link PartConfig} node selects. None by default.
     */
    default List<String> partNames() {
        return List.of();
    }

    /**
     * The layer's states in Keras's order (an LSTM's {@code h} and {@code c}): a node's inputs after its first feed
     * them as initial states (Keras's {@code initial_state}). None by default.
     */
    default List<String> stateNames() {
        return List.of();
    }

    /** The layer's weights, by Keras name ({@code kernel}, {@code bias}, ...), in the order Keras creates them. */
    default List<String> weightNames() {
        return List.of();
    }

    /**
     * Where Keras 3's weights file ({@code model.weights.h5}, {@code .weights.h5}) keeps this layer's weights, under the
     * layer's group {@code layers/<snake_case(class_name)>[_n]}: {@code vars} for most layers, {@code cell/vars} for a
     * recurrent layer, whose weights belong to its cell. The datasets there are named {@code 0}, {@code 1}, ... in the
     * order of {@link #weightNames()}. A layer whose weights Keras keeps elsewhere overrides this next to its config.
     */
    default String kerasWeightsPath() {
        return "vars";
    }

    /**
     * Every group of Keras 3's weights file that holds this layer's weights, relative to the layer's group, with the
     * names of its datasets {@code 0}, {@code 1}, ... in order; in this order they are {@link #weightNames()}. One
     * group, {@link #kerasWeightsPath()}, for most layers. Keras 3 saves a layer's state by walking its attributes
     * ({@code saving_lib._save_state}), so a wrapper's weights sit under the layers it holds: {@code
     * forward_layer/cell/vars} then {@code backward_layer/cell/vars} for a Bidirectional LSTM, {@code layer/vars} for a
     * TimeDistributed Dense; each level's own {@code vars} group exists and is empty.
     */
    default Map<String, List<String>> kerasWeightGroups() {
        return Map.of(kerasWeightsPath(), weightNames());
    }

    /**
     * Whether the layer's {@code get_config()} holds {@code trainable}, as every layer's does through Keras's base
     * class, but for the few whose constructor takes no such argument (Keras 3's SpatialDropout), which a file must not
     * give it.
     */
    default boolean kerasConfigHasTrainable() {
        return true;
    }

    /**
     * Adjusts the layer's freshly drawn weights, by Keras name, where Keras's initialization is more than one
     * initializer per weight (an LSTM's forget-gate bias of ones). Called once per set of weights, not for loaded ones.
     */
    default void initialize(Map<String, INDArray> weights) {
    }

    /** Whether the layer's weights are trained (Keras's {@code trainable}); layers without weights say true. */
    default boolean trainable() {
        return true;
    }
}
