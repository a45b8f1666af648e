package dev.kiln.runtime.layer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code @Part}: one of the further values of the node it consumes (Keras's second, third, ... output of a layer call),
 * by name: a part its input's layer gives ({@link LayerConfig#partNames()}, an LSTM's final state {@code h}), or, with
 * {@code nestedOutput}, another {@code @Output} of a nested model, inlined as the node it consumes, whose value it is.
 * {@code output} is which output of the call it is in Keras ({@code 1 + k} for the {@code k}-th part). No Keras layer:
 * in a Keras file and in the summary the consumers of a part read that output of the call, {@code encoder[0][1]}.
 */
public record PartConfig(String part, int output, boolean nestedOutput) implements LayerConfig {
    @Override
    public String kerasClassName() {
        return "Part";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("part", part);
        m.put("output", output);
        m.put("nested_output", nestedOutput);
        return m;
    }
}
