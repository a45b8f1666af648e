package dev.kiln.runtime.layer;

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
}
