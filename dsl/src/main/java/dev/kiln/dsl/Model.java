package dev.kiln.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface as a Kiln model: a Keras functional-API graph declared one node per abstract method.
 *
 * <p>The annotation processor checks the graph at compile time and generates {@code <Name>Model} beside the
 * interface. Rules javac enforces: the annotated type is an interface; every abstract method returns {@link Tensor},
 * takes only {@link Tensor} parameters (named after the nodes they consume) and carries exactly one layer annotation.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Model {
    /** The generated class's simple name; empty means the interface's name plus {@code Model}. */
    String name() default "";

    /**
     * The model's name as Keras shows it, Keras's {@code Model(inputs, outputs, name="...")}: the first line of
     * {@code summary()}; empty means the interface's simple name.
     */
    String displayName() default "";
}
