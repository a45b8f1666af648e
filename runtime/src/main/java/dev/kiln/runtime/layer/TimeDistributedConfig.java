package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code @TimeDistributed}: Keras's wrapper applying {@code layer} to every step; the weights are the layer's own. */
public record TimeDistributedConfig(LayerConfig layer) implements LayerConfig {
    @Override
    public String kerasClassName() {
        return "TimeDistributed";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", KerasNames.layer(KerasNames.snakeCase(layer.kerasClassName()), layer));
        return m;
    }

    /** Keras 3 saves the wrapped layer as the wrapper's attribute {@code layer}: {@code time_distributed/layer/vars}. */
    @Override
    public Map<String, List<String>> kerasWeightGroups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        layer.kerasWeightGroups().forEach((path, names) -> groups.put("layer/" + path, names));
        return groups;
    }

    @Override
    public List<String> weightNames() {
        return layer.weightNames();
    }

    @Override
    public void initialize(Map<String, INDArray> weights) {
        layer.initialize(weights);
    }

    @Override
    public boolean trainable() {
        return layer.trainable();
    }

    /** Keras's TimeDistributed as {@code dev.kiln.dsl} annotations, for the converter: the wrapper, then its layer. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return TimeDistributedConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("TimeDistributed");
        }

        @Override
        public String annotation(Layer l) {
            String inner = l.wrapped("layer", List.of("Dense"));
            return l.annotation("TimeDistributed") + " " + inner;
        }
    }
}
