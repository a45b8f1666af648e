package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Map;

/** {@code @Masking}: the steps whose features all equal {@code maskValue} are zeroed and masked. */
public record MaskingConfig(double maskValue) implements LayerConfig {
    public MaskingConfig() {
        this(0.0);
    }

    @Override
    public String kerasClassName() {
        return "Masking";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("mask_value", maskValue);
    }

    /** Keras's Masking as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return MaskingConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Masking");
        }

        @Override
        public String annotation(Layer l) {
            return l.number("mask_value", "maskValue", 0.0).annotation("Masking");
        }
    }
}
