package dev.kiln.runtime;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One forward pass of a model, kept for one backward pass: Kiln's {@code tf.GradientTape} for custom training loops
 * (GANs, distillation, reinforcement learning). Made by {@link KilnModel#tape}. The backward pass runs from the
 * model's own losses ({@link #backwardFromLoss}) or from output gradients the caller computed ({@link #backward}, e.g.
 * another model's input gradients), and yields the gradients of every trainable weight and every float input by name.
 *
 * <pre>{@code
 * Tape g = generator.tape(Map.of("noise", z), true);
 * Tape d = discriminator.tape(Map.of("image", g.outputs().get("image")), true);
 * Tape.Gradients dg = d.backwardFromLoss(Map.of("real", ones));          // D's loss on fakes labelled real
 * Tape.Gradients gg = g.backward(Map.of("image", dg.inputs().get("image")));
 * generator.applyGradients(gg.weights());                                 // only G moves
 * }</pre>
 *
 * <p>A tape is used once, and before its model's next forward pass (a training step, a prediction with the model's
 * own buffers, another tape): afterwards its backward throws {@link IllegalStateException}. Predictions from other
 * threads use buffers of their own and do not spend it.
 */
public final class Tape {
    private final KilnModel model;
    private final long pass;
    private final long batchSize;
    private final Map<String, INDArray> outputs;

    Tape(KilnModel model, long pass, long batchSize, Map<String, INDArray> outputs) {
        this.model = model;
        this.pass = pass;
        this.batchSize = batchSize;
        this.outputs = Map.copyOf(outputs);
    }

    /** The outputs of the forward pass, keyed by output name; copies, still valid after the model runs again. */
    public Map<String, INDArray> outputs() {
        return outputs;
    }

    /** The number of samples in the batch. */
    public long batchSize() {
        return batchSize;
    }

    /**
     * The gradients of the model's loss against {@code targets} (keyed by output name, one for each output that has a
     * loss), weighted and summed over the outputs as training does; {@link Gradients#loss()} is that loss.
     */
    public Gradients backwardFromLoss(Map<String, INDArray> targets) {
        KilnModel.requireArgument(targets, "backwardFromLoss", "targets");
        return model.backward(this, null, targets);
    }

    /**
     * The gradients that follow from {@code outputGradients}, {@code dL/dOutput} keyed by output name and shaped as
     * the outputs (an output left out contributes nothing), as Keras's {@code tape.gradient(y, x,
     * output_gradients=...)}; {@link Gradients#loss()} is NaN.
     */
    public Gradients backward(Map<String, INDArray> outputGradients) {
        KilnModel.requireArgument(outputGradients, "backward", "outputGradients");
        return model.backward(this, outputGradients, null);
    }

    long pass() {
        return pass;
    }

    /**
     * A backward pass's results: the loss (NaN when the output gradients were given), the gradient of every trainable
     * variable keyed by its Keras name (zero for one frozen with {@code setTrainable}), ready for
     * {@link KilnModel#applyGradients(Map)}, and the gradient of every float input keyed by input name.
     */
    public record Gradients(double loss, Map<String, INDArray> weights, Map<String, INDArray> inputs) {
        public Gradients {
            weights = java.util.Collections.unmodifiableMap(weights);
            inputs = java.util.Collections.unmodifiableMap(inputs);
        }
    }
}
