package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code PReLU} layer: {@code x} for {@code x >= 0}, {@code alpha * x} below, with {@code alpha} a trainable
 * weight of the input's shape (without the batch axis), one slope per element. {@code sharedAxes} (counted as Keras
 * counts them, 1 for the first axis after the batch) share one slope along those axes, as Keras's {@code shared_axes}:
 * for images of {@code (h, w, c)}, {@code sharedAxes = {1, 2}} learns one slope per channel.
 *
 * <p>Rules javac enforces: one input with a fixed shape; each shared axis lies in {@code [1, rank]}, once.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface PReLU {
    Initializer alphaInitializer() default Initializer.ZEROS;

    int[] sharedAxes() default {};
}
