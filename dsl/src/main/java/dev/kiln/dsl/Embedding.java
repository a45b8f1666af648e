package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code Embedding}: each id of an {@code @Input(dtype = INT32)} replaced by its row of a trainable
 * {@code (inputDim, outputDim)} table, Keras's {@code embeddings}. A sample of ids of shape {@code (n)} becomes
 * {@code (n, outputDim)}. An id outside {@code [0, inputDim)} is an exception naming the input, the sample and the id.
 *
 * <p>Rules javac enforces: one input; {@code inputDim > 0} and {@code outputDim > 0}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Embedding {
    /** The number of ids: the vocabulary's size. */
    int inputDim();

    /** The length of each id's vector. */
    int outputDim();

    Initializer embeddingsInitializer() default Initializer.RANDOM_UNIFORM;

    /**
     * Id 0 is padding: the output carries a mask that makes recurrent layers skip those steps (Keras's
     * {@code mask_zero}). Id 0 then stands for no word, so {@code inputDim} counts it: a vocabulary of n words needs
     * {@code n + 1}. Layers that work step by step pass the mask on; any other layer it reaches is a compile error.
     */
    boolean maskZero() default false;

    boolean trainable() default true;
}
