package dev.kiln.keras.models;

import static dev.kiln.dsl.Activation.TANH;

import dev.kiln.dsl.Bidirectional;
import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Dot;
import dev.kiln.dsl.GRU;
import dev.kiln.dsl.GlobalAveragePooling1D;
import dev.kiln.dsl.GlobalMaxPooling1D;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.LayerNormalization;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Masking;
import dev.kiln.dsl.MergeMode;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Permute;
import dev.kiln.dsl.RepeatVector;
import dev.kiln.dsl.Reshape;
import dev.kiln.dsl.SpatialDropout1D;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.TimeDistributed;

/** The sequence layers and wrappers that Keras files carry, with settings other than Keras's defaults: round trips. */
@Model
public interface SequenceZoo {
    @Input(shape = {6, 4})
    Tensor steps();

    @SpatialDropout1D(rate = 0.1)
    Tensor dropped(Tensor steps);

    @Masking(maskValue = 0.5)
    Tensor masked(Tensor dropped);

    @Bidirectional(mergeMode = MergeMode.SUM)
    @GRU(units = 5, returnSequences = true)
    Tensor both(Tensor masked);

    @TimeDistributed
    @Dense(units = 4, activation = TANH)
    Tensor perStep(Tensor both);

    @LayerNormalization(epsilon = 0.01, center = false)
    Tensor normed(Tensor perStep);

    @GlobalAveragePooling1D
    Tensor summary(Tensor normed);

    @RepeatVector(n = 3)
    Tensor repeated(Tensor summary);

    @Permute(dims = {2, 1})
    Tensor permuted(Tensor repeated);

    @Reshape(targetShape = 12)
    Tensor flat(Tensor permuted);

    @Dense(units = 6)
    Tensor a(Tensor flat);

    @Dense(units = 6)
    Tensor b(Tensor summary);

    @Dot(axes = 1, normalize = true)
    @Output(loss = Loss.MEAN_SQUARED_ERROR)
    Tensor cosine(Tensor a, Tensor b);

    @GlobalMaxPooling1D
    @Output(loss = Loss.MEAN_SQUARED_ERROR)
    Tensor maxed(Tensor permuted);
}
