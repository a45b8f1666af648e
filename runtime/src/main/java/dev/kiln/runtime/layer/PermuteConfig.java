package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** {@code @Permute}: reorders the non-batch axes; {@code dims} is 1-based, as in Keras. */
public record PermuteConfig(int... dims) implements LayerConfig {
    public PermuteConfig {
        dims = dims.clone();
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    @Override
    public String kerasClassName() {
        return "Permute";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("dims", Arrays.stream(dims).boxed().toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PermuteConfig c && Arrays.equals(dims, c.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return "PermuteConfig[dims=" + Arrays.toString(dims) + "]";
    }

    /** Keras's Permute as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return PermuteConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Permute");
        }

        @Override
        public String annotation(Layer l) {
            return l.exactInts("dims", "dims").annotation("Permute");
        }
    }
}
