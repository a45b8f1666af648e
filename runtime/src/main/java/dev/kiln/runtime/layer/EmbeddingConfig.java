package dev.kiln.runtime.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Initializer;
import java.util.List;
import java.util.Map;

/** {@code @Embedding}: a trainable {@code (inputDim, outputDim)} table looked up by id, Keras's {@code embeddings}. */
public record EmbeddingConfig(int inputDim, int outputDim, Initializer embeddingsInitializer, boolean maskZero,
        boolean trainable) implements LayerConfig {
    /** Keras's defaults: uniform in [-0.05, 0.05], no mask, trainable. */
    public EmbeddingConfig(int inputDim, int outputDim) {
        this(inputDim, outputDim, Initializer.RANDOM_UNIFORM, false, true);
    }

    public EmbeddingConfig withEmbeddingsInitializer(Initializer embeddingsInitializer) {
        return new EmbeddingConfig(inputDim, outputDim, embeddingsInitializer, maskZero, trainable);
    }

    /** Id 0 is padding, masked for the layers after it (Keras's {@code mask_zero}). */
    public EmbeddingConfig withMaskZero(boolean maskZero) {
        return new EmbeddingConfig(inputDim, outputDim, embeddingsInitializer, maskZero, trainable);
    }

    public EmbeddingConfig withTrainable(boolean trainable) {
        return new EmbeddingConfig(inputDim, outputDim, embeddingsInitializer, maskZero, trainable);
    }

    @Override
    public String kerasClassName() {
        return "Embedding";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        return Map.of("input_dim", inputDim, "output_dim", outputDim, "embeddings_initializer",
                embeddingsInitializer == Initializer.RANDOM_UNIFORM ? "uniform" : KerasNames.of(embeddingsInitializer),
                "mask_zero", maskZero);
    }

    @Override
    public List<String> weightNames() {
        return List.of("embeddings");
    }

    /** Keras's Embedding as {@code dev.kiln.dsl} annotations, for the converter. */
    @AutoService(KerasMapping.class)
    public static final class Keras implements KerasMapping {
        @Override
        public Class<? extends LayerConfig> configType() {
            return EmbeddingConfig.class;
        }

        @Override
        public List<String> kerasClassNames() {
            return List.of("Embedding");
        }

        @Override
        public String annotation(Layer l) {
            return l.integer("input_dim", "inputDim").integer("output_dim", "outputDim").bool("mask_zero", "maskZero", false)
                    .trainable().annotation("Embedding");
        }
    }
}
