package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.MergeMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code @Bidirectional}: Keras's wrapper around a recurrent {@code layer} (an {@link LSTMConfig}, {@link GRUConfig} or
 * {@link SimpleRNNConfig}); its weights are the forward copy's then the backward copy's, named as Keras names them:
 * {@code forward_lstm/kernel}, ..., {@code backward_lstm/kernel}, ...
 */
public record BidirectionalConfig(LayerConfig layer, MergeMode mergeMode) implements LayerConfig {
    public BidirectionalConfig(LayerConfig layer) {
        this(layer, MergeMode.CONCAT);
    }

    public BidirectionalConfig withMergeMode(MergeMode mergeMode) {
        return new BidirectionalConfig(layer, mergeMode);
    }

    /** The forward copy: the layer as written. */
    public LayerConfig forwardLayer() {
        return layer;
    }

    /** The backward copy: the layer with {@code goBackwards} flipped, as Keras makes it. */
    public LayerConfig backwardLayer() {
        if (layer instanceof LSTMConfig l) {
            return l.withGoBackwards(!l.goBackwards());
        } else if (layer instanceof GRUConfig g) {
            return g.withGoBackwards(!g.goBackwards());
        } else if (layer instanceof SimpleRNNConfig s) {
            return s.withGoBackwards(!s.goBackwards());
        }
        throw new IllegalStateException("Bidirectional wraps LSTM, GRU or SimpleRNN, not " + layer.kerasClassName());
    }

    /** Whether the wrapped layer outputs every step. */
    public boolean returnSequences() {
        if (layer instanceof LSTMConfig l) {
            return l.returnSequences();
        } else if (layer instanceof GRUConfig g) {
            return g.returnSequences();
        }
        return ((SimpleRNNConfig) layer).returnSequences();
    }

    /**
     * With the wrapped layer's {@code returnState}, both copies' final states, the forward copy's first:
     * {@code forwardH}, {@code forwardC}, {@code backwardH}, {@code backwardC}, Keras's order of outputs.
     */
    @Override
    public List<String> partNames() {
        return layer.partNames().isEmpty() ? List.of() : stateNames();
    }

    /** The forward copy's states, then the backward copy's: {@code forwardH}, ..., {@code backwardH}, .... */
    @Override
    public List<String> stateNames() {
        List<String> names = new ArrayList<>();
        for (String direction : new String[] {"forward", "backward"}) {
            layer.stateNames().forEach(p -> names.add(direction + Character.toUpperCase(p.charAt(0)) + p.substring(1)));
        }
        return names;
    }

    /** Keras's name of the forward copy, e.g. {@code forward_lstm}; {@code backward_lstm} for the other. */
    public String prefix(boolean forward) {
        return (forward ? "forward_" : "backward_") + KerasNames.snakeCase(layer.kerasClassName());
    }

    @Override
    public String kerasClassName() {
        return "Bidirectional";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("merge_mode", mergeMode.name().toLowerCase(Locale.ROOT));
        m.put("layer", KerasNames.layer(prefix(true), forwardLayer()));
        m.put("backward_layer", KerasNames.layer(prefix(false), backwardLayer()));
        return m;
    }

    /**
     * Keras 3 saves the two copies as the wrapper's attributes {@code forward_layer} and {@code backward_layer}, each
     * with its cell: {@code layers/bidirectional/forward_layer/cell/vars/{0,1,2}}, then the same under {@code
     * backward_layer}.
     */
    @Override
    public Map<String, List<String>> kerasWeightGroups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (boolean forward : new boolean[] {true, false}) {
            String attribute = forward ? "forward_layer/" : "backward_layer/";
            (forward ? forwardLayer() : backwardLayer()).kerasWeightGroups().forEach((path, names) -> groups.put(
                    attribute + path, names.stream().map(w -> prefix(forward) + "/" + w).toList()));
        }
        return groups;
    }

    @Override
    public List<String> weightNames() {
        List<String> names = new ArrayList<>();
        for (boolean forward : new boolean[] {true, false}) {
            layer.weightNames().forEach(w -> names.add(prefix(forward) + "/" + w));
        }
        return names;
    }

    /** Each copy initializes its own weights as the wrapped layer does (an LSTM's forget-gate bias of ones). */
    @Override
    public void initialize(Map<String, INDArray> weights) {
        for (boolean forward : new boolean[] {true, false}) {
            String prefix = prefix(forward) + "/";
            Map<String, INDArray> mine = new HashMap<>();
            weights.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    mine.put(k.substring(prefix.length()), v);
                }
            });
            (forward ? forwardLayer() : backwardLayer()).initialize(mine);
        }
    }

    @Override
    public boolean trainable() {
        return layer.trainable();
    }

    /** Keras's Bidirectional as {@code dev.kiln.dsl} annotations, for the converter: the wrapper, then its layer. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        private static final List<String> RECURRENT = List.of("LSTM", "GRU", "SimpleRNN");

        @Override
        public Class<? extends LayerConfig> configType() {
            return BidirectionalConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Bidirectional");
        }

        @Override
        public String annotation(Layer l) {
            if (l.config().containsKey("merge_mode") && l.config().get("merge_mode") == null) {
                throw l.unsupported("merge_mode None (two outputs from one node)");
            }
            String forward = l.wrapped("layer", RECURRENT);
            if (l.config().get("backward_layer") instanceof Map<?, ?> backward
                    && !forward.equals(runBackwards(l, backward))) {
                throw l.unsupported("a backward_layer that is not its layer run backwards (Kiln makes the backward copy"
                        + " from the layer, as Keras does when none is given)");
            }
            return l.constant("merge_mode", "mergeMode", MergeMode.class, MergeMode.CONCAT).annotation("Bidirectional")
                    + " " + forward;
        }

        /** The annotation of Keras's backward layer with {@code go_backwards} flipped: the forward one's, if Kiln's. */
        private static String runBackwards(Layer l, Map<?, ?> backward) {
            Map<String, Object> config = new LinkedHashMap<>();
            if (backward.get("config") instanceof Map<?, ?> c) {
                c.forEach((k, v) -> config.put(String.valueOf(k), v));
            }
            config.put("go_backwards", !Boolean.TRUE.equals(config.get("go_backwards")));
            Map<String, Object> flipped = new LinkedHashMap<>();
            flipped.put("class_name", backward.get("class_name"));
            flipped.put("config", config);
            Map<String, Object> wrapper = new LinkedHashMap<>(l.config());
            wrapper.put("layer", flipped);
            return new Layer(l.name(), l.className(), wrapper).wrapped("layer", RECURRENT);
        }
    }
}
