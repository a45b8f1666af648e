package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a node as a model output, placed beside its layer annotation. Outputs are ordered as declared. The loss is
 * optional: a model whose outputs have none predicts, and asking it to train is an error that says so.
 *
 * <p>Rules javac enforces: the loss fits the output (a cross-entropy needs a softmax or sigmoid output, or logits with
 * {@code fromLogits = true}); {@code fromLogits} only with a cross-entropy; {@code huberDelta > 0}, only with
 * {@code loss = HUBER}; {@code reduction} only with a loss; {@code lossWeight >= 0}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Output {
    Loss loss() default Loss.NONE;

    /**
     * The output holds logits, not probabilities: Keras's {@code from_logits=True} on a cross-entropy. The loss is
     * computed from the logits stably (log-sum-exp for the categorical ones, softplus for the binary one), the output
     * ends linear, and predictions are logits; a binary accuracy thresholds them at 0 (probability 0.5).
     */
    boolean fromLogits() default false;

    /**
     * Where {@link Loss#HUBER} turns from quadratic to linear: Keras's {@code Huber(delta=1.0)}, {@code 0.5 e^2} for
     * {@code |e| <= delta}, {@code delta (|e| - 0.5 delta)} beyond. Only with {@code loss = HUBER}; positive.
     */
    double huberDelta() default 1.0;

    /**
     * How the samples' losses reduce to the output's loss (Keras's {@code reduction}): their mean by default, their sum,
     * or none (the gradients of their sum, their mean reported). Only with a loss.
     */
    Reduction reduction() default Reduction.SUM_OVER_BATCH_SIZE;

    /** Weight of this output's loss in the model's total loss (Keras's {@code loss_weights}). */
    double lossWeight() default 1.0;

    /** Metrics reported for this output by {@code fit} and {@code evaluate} (Keras's {@code metrics}). */
    Metric[] metrics() default {};
}
