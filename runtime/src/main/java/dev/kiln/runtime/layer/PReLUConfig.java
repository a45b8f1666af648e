package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Initializer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code @PReLU}: {@code x} for {@code x >= 0}, {@code alpha * x} below, with one trainable slope per element of a
 * sample, or per slice when {@code sharedAxes} (1 for the first axis after the batch) share one along those axes. Its
 * weight is Keras's {@code alpha}, of the input's shape with the shared axes set to 1.
 */
public record PReLUConfig(Initializer alphaInitializer, int[] sharedAxes) implements LayerConfig {
    public PReLUConfig {
        sharedAxes = sharedAxes.clone();
    }

    /** Keras's defaults: zero slopes, none shared. */
    public PReLUConfig() {
        this(Initializer.ZEROS, new int[0]);
    }

    public PReLUConfig withAlphaInitializer(Initializer alphaInitializer) {
        return new PReLUConfig(alphaInitializer, sharedAxes);
    }

    public PReLUConfig withSharedAxes(int... sharedAxes) {
        return new PReLUConfig(alphaInitializer, sharedAxes);
    }

    @Override
    public int[] sharedAxes() {
        return sharedAxes.clone();
    }

    @Override
    public String kerasClassName() {
        return "PReLU";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alpha_initializer", KerasNames.of(alphaInitializer));
        m.put("shared_axes", sharedAxes.length == 0 ? null : Arrays.stream(sharedAxes).boxed().toList());
        return m;
    }

    @Override
    public List<String> weightNames() {
        return List.of("alpha");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PReLUConfig p && p.alphaInitializer == alphaInitializer
                && Arrays.equals(p.sharedAxes, sharedAxes);
    }

    @Override
    public int hashCode() {
        return 31 * alphaInitializer.hashCode() + Arrays.hashCode(sharedAxes);
    }

    @Override
    public String toString() {
        return "PReLUConfig[alphaInitializer=" + alphaInitializer + ", sharedAxes=" + Arrays.toString(sharedAxes) + "]";
    }

    /** Keras's PReLU as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return PReLUConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("PReLU");
        }

        @Override
        public String annotation(Layer l) {
            if (l.config().get("shared_axes") != null) {
                l.exactInts("shared_axes", "sharedAxes");
            }
            return l.refuse("trainable", false, "Kiln trains every PReLU").annotation("PReLU");
        }
    }
}
