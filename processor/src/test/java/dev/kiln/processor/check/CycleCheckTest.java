package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** kiln/Cycle: the cycle printed in data-flow order, once, on the parameter that closes it; nothing downstream. */
class CycleCheckTest {
    @Test
    void printsTheCycleOnce() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Loop {
                    @Input(shape = 8)
                    Tensor x();

                    @Dense(units = 8)
                    Tensor a(Tensor c);

                    @Dense(units = 8)
                    Tensor b(Tensor a);

                    @Dense(units = 8)
                    Tensor c(Tensor b);

                    @Dense(units = 1)
                    @Output
                    Tensor y(Tensor c);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Loop", source);
        // 'x' feeds nothing and 'y' sits downstream of the cycle: neither is a separate problem
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "a);",
                "[kiln/Cycle] the graph has a cycle: a -> b -> c -> a. A model is acyclic: each node may only consume"
                        + " nodes that do not depend on it.");
    }

    /** One wrong parameter that closes two cycles (two paths from n1 to n5) is one mistake: one error. */
    @Test
    void twoCyclesThroughOneEdgeAreOneError() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Knot {
                    @Input(shape = 2)
                    Tensor x();

                    @Dense(units = 3)
                    Tensor n1(Tensor n5);

                    @Concatenate
                    Tensor n2(Tensor n1, Tensor x);

                    @Dropout(rate = 0.1)
                    Tensor n3(Tensor n1);

                    @Concatenate
                    Tensor n4(Tensor n3, Tensor x, Tensor n2);

                    @Concatenate
                    @Output(loss = Loss.HUBER)
                    Tensor n5(Tensor x, Tensor n4);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Knot", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "n1);",
                "[kiln/Cycle] the graph has a cycle: n1 -> n3 -> n4 -> n5 -> n1. A model is acyclic: each node may only"
                        + " consume nodes that do not depend on it.");
    }

    @Test
    void aNodeThatConsumesItself() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Self {
                    @Input(shape = 8)
                    Tensor x();

                    @Dense(units = 8)
                    @Output
                    Tensor y(Tensor y);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Self", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "y);",
                "[kiln/Cycle] the graph has a cycle: y -> y. A model is acyclic: each node may only consume nodes that"
                        + " do not depend on it.");
    }
}
