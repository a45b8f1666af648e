package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A model input, Keras's {@code Input(shape=...)}. The shape leaves out the batch axis; {@link #NONE} leaves an axis
 * open (a sequence's time axis, Keras's {@code None}). Images are channels-last, {@code (height, width, channels)}.
 *
 * <p>Rules javac enforces: the method takes no parameters; the shape is not empty; every axis is positive or
 * {@link #NONE}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Input {
    /** An axis whose length is only known at run time (Keras's {@code None}). */
    int NONE = -1;

    /** The shape of one sample, without the batch axis. */
    int[] shape();

    /** The element type: float32 values, or int32 ids (for an Embedding). */
    DType dtype() default DType.FLOAT32;
}
