package dev.kiln.runtime.layer;

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
        m.put("layer", Map.of("class_name", layer.kerasClassName(), "config", layer.kerasConfig()));
        return m;
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
}
