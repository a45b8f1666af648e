package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Compile-time errors of the functional API's layers: merge shapes, concatenation axes, shared layers, nesting. */
class FunctionalDiagnosticsTest {

    static Diagnostic<? extends JavaFileObject> onlyError(String name, String source) {
        Compilation c = ModelCompiler.compile(name, source);
        List<Diagnostic<? extends JavaFileObject>> errors = c.errors();
        assertEquals(1, errors.size(), () -> errors.toString());
        return errors.get(0);
    }

    @Test
    void mergeOfDifferentWidthsIsAShapeMismatch() {
        var d = onlyError("bad.Residual", """
                package bad;
                import dev.kiln.dsl.*;
                @Model interface Residual {
                    @Input(shape = 32) Tensor x();
                    @Dense(units = 128) Tensor wide(Tensor x);
                    @Dense(units = 64) Tensor narrow(Tensor x);
                    @Add @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor sum(Tensor wide, Tensor narrow);
                }
                """);
        assertEquals("[kiln/ShapeMismatch] Add 'sum' needs inputs of one shape, but 'wide' is (128) and 'narrow' is"
                + " (64). Make the widths agree, e.g. @Dense(units = 128) on 'narrow'.", d.getMessage(Locale.ROOT));
        assertEquals(7, d.getLineNumber());
        assertEquals(Diagnostic.Kind.ERROR, d.getKind());
    }

    @Test
    void concatenationAlongTheBatchAxisIsIllegal() {
        var d = onlyError("bad.Cat", """
                package bad;
                import dev.kiln.dsl.*;
                @Model interface Cat {
                    @Input(shape = 4) Tensor a();
                    @Input(shape = 4) Tensor b();
                    @Concatenate(axis = 0)
                    @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor both(Tensor a, Tensor b);
                }
                """);
        assertEquals("[kiln/IllegalAttribute] Concatenate 'both' has axis = 0, the batch axis. Concatenate along a"
                + " feature axis: axis = -1 (the last, the default) or 1 and up, counted as in Keras with the batch"
                + " axis at 0.", d.getMessage(Locale.ROOT));
        assertEquals(6, d.getLineNumber());
    }

    @Test
    void concatenationAxisBeyondTheRankIsAShapeMismatch() {
        var d = onlyError("bad.Cat2", """
                package bad;
                import dev.kiln.dsl.*;
                @Model interface Cat2 {
                    @Input(shape = 4) Tensor a();
                    @Input(shape = 4) Tensor b();
                    @Concatenate(axis = 2)
                    @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor both(Tensor a, Tensor b);
                }
                """);
        assertEquals("[kiln/ShapeMismatch] Concatenate 'both' joins along axis 2, but its inputs have shape (4) (rank 2"
                + " with the batch axis). Use an axis from 1 to 1, or -1.", d.getMessage(Locale.ROOT));
        assertEquals(6, d.getLineNumber());
    }

    @Test
    void concatenatedInputsMustAgreeOnOtherAxes() {
        var d = onlyError("bad.Cat3", """
                package bad;
                import dev.kiln.dsl.*;
                @Model interface Cat3 {
                    @Input(shape = {3, 4}) Tensor a();
                    @Input(shape = {2, 5}) Tensor b();
                    @Concatenate @Flatten Tensor both(Tensor a, Tensor b);
                }
                """.replace("@Concatenate @Flatten Tensor both(Tensor a, Tensor b);",
                        "@Concatenate(axis = -1)\n        @Output Tensor both(Tensor a,\n            Tensor b);"));
        assertEquals("[kiln/ShapeMismatch] Concatenate 'both' joins along axis -1, so its inputs must agree on every"
                + " other axis, but 'a' is (3, 4) and 'b' is (2, 5). Change the axis or reshape one input.",
                d.getMessage(Locale.ROOT));
        assertEquals(8, d.getLineNumber(), "on the parameter 'b'");
    }

    @Test
    void sharedLayerOnAnotherShapeIsAShapeMismatch() {
        var d = onlyError("bad.Siamese", """
                package bad;
                import dev.kiln.dsl.*;
                @Model interface Siamese {
                    @Input(shape = 7) Tensor left();
                    @Input(shape = 9) Tensor right();
                    @Dense(units = 6) Tensor encodedLeft(Tensor left);
                    @Shared("encodedLeft") Tensor encodedRight(Tensor right);
                    @Concatenate @Output(loss = Loss.MEAN_SQUARED_ERROR)
                    Tensor both(Tensor encodedLeft, Tensor encodedRight);
                }
                """);
        assertEquals("[kiln/ShapeMismatch] 'encodedRight' applies the shared layer of 'encodedLeft' to (9), but"
                + " 'encodedLeft' built its weights for (7). A shared layer needs inputs of the same shape at every"
                + " application.", d.getMessage(Locale.ROOT));
        assertEquals(7, d.getLineNumber());
    }

    @Test
    void sharingAnUnknownNodeSuggestsTheClosestName() {
        var d = onlyError("bad.Siamese2", """
                package bad;
                import dev.kiln.dsl.*;
                @Model interface Siamese2 {
                    @Input(shape = 7) Tensor left();
                    @Input(shape = 7) Tensor right();
                    @Dense(units = 6) Tensor encodedLeft(Tensor left);
                    @Shared("encodedLft") Tensor encodedRight(Tensor right);
                    @Subtract @Output(loss = Loss.MEAN_SQUARED_ERROR)
                    Tensor diff(Tensor encodedLeft, Tensor encodedRight);
                }
                """);
        assertEquals("[kiln/UnknownInput] 'encodedRight' shares the layer of 'encodedLft', but the model has no node of"
                + " that name; did you mean 'encodedLeft'?", d.getMessage(Locale.ROOT));
        assertEquals(7, d.getLineNumber());
    }

    @Test
    void nestedModelOnTheWrongShapeIsAShapeMismatch() {
        Compilation c = ModelCompiler.compile("bad.Encoder", """
                package bad;
                import dev.kiln.dsl.*;
                @Model interface Encoder {
                    @Input(shape = 10) Tensor image();
                    @Dense(units = 4) @Output Tensor code(Tensor image);
                }
                """, "bad.Outer", """
                package bad;
                import dev.kiln.dsl.*;
                @Model interface Outer {
                    @Input(shape = 12) Tensor a();
                    @Nested(Encoder.class) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor code(Tensor a);
                }
                """);
        assertEquals(1, c.errors().size(), c.errors()::toString);
        var d = c.errors().get(0);
        assertEquals("[kiln/ShapeMismatch] 'code' runs model Encoder, whose input 'image' is (10), on 'a', which is (12)."
                + " Give it an input of shape (10).", d.getMessage(Locale.ROOT));
        assertEquals(5, d.getLineNumber());
    }

    @Test
    void subtractTakesExactlyTwoInputs() {
        var d = onlyError("bad.Sub", """
                package bad;
                import dev.kiln.dsl.*;
                @Model interface Sub {
                    @Input(shape = 3) Tensor a();
                    @Input(shape = 3) Tensor b();
                    @Input(shape = 3) Tensor c();
                    @Subtract @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor d(Tensor a, Tensor b, Tensor c);
                }
                """);
        assertEquals("[kiln/InputCount] @Subtract 'd' takes 2 input(s), but has 3. Remove the extra parameter(s).", d.getMessage(Locale.ROOT));
        assertEquals(7, d.getLineNumber());
    }
}
