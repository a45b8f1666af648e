package dev.kiln.runtime.layer;

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
        return (forward ? "forward_" : "backward_") + snakeCase(layer.kerasClassName());
    }

    private static String snakeCase(String className) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < className.length(); i++) {
            char ch = className.charAt(i);
            if (i > 0 && Character.isUpperCase(ch) && Character.isLowerCase(className.charAt(i - 1))) {
                sb.append('_');
            }
            sb.append(ch);
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public String kerasClassName() {
        return "Bidirectional";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("merge_mode", mergeMode.name().toLowerCase(Locale.ROOT));
        m.put("layer", Map.of("class_name", layer.kerasClassName(), "config", layer.kerasConfig()));
        LayerConfig backward = backwardLayer();
        m.put("backward_layer", Map.of("class_name", backward.kerasClassName(), "config", backward.kerasConfig()));
        return m;
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
}
