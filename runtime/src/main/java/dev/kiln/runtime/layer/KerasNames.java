package dev.kiln.runtime.layer;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Keras's spelling of Kiln's enum constants ({@code GLOROT_UNIFORM} is {@code glorot_uniform}) and of its layers. */
final class KerasNames {
    private KerasNames() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** Keras's {@code naming.to_snake_case} of a class name: {@code LSTM} lstm, {@code SimpleRNN} simple_rnn. */
    static String snakeCase(String className) {
        String name = className.replaceAll("\\W+", "");
        name = name.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /**
     * A layer a wrapper holds, as its {@code get_config()} names it: {@code {"class_name": ..., "config": {"name":
     * ..., <the layer's own keys>}}}. Whoever writes a file adds what Keras's serializer adds around it (module,
     * trainable, dtype).
     */
    static Map<String, Object> layer(String name, LayerConfig layer) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.putAll(layer.kerasConfig());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", layer.kerasClassName());
        m.put("config", config);
        return m;
    }
}
