package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code GlobalAveragePooling2D} (channels last, {@code keepdims=False}): the mean over every position of each
 * channel, {@code (h, w, channels) -> (channels)}.
 *
 * <p>Rules javac enforces: one input of rank 3 with known axes.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface GlobalAveragePooling2D {
}
