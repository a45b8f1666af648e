package dev.kiln.runtime.layer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code @Part}: one of the further values of the node it consumes (Keras's second, third, ... output of a layer call),
 * by name: a part its input's layer gives ({@link LayerConfig#partNames()}, an LSTM's final state {@code h}), or, with
 * {@code nestedOutput}, another {@code @Output} of a nested model, inlined as the node it consumes, whose value it is.
 * No Keras layer: in a Keras file the consumers of a part read the layer's output tensor of that index.
 */
public record PartConfig(String part, boolean nestedOutput) implements LayerConfig {
    @Override
    public String kerasClassName() {
        return "Part";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("part", part);
        m.put("nested_output", nestedOutput);
        return m;
    }
}
