package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * kiln/Part: a {@code @Part} that selects no value of the node it consumes, on the part's name: an unknown name (the
 * valid ones offered), a node without parts, a recurrent layer without {@code returnState}, a part selected twice, a
 * nested model's first output (the node's own value).
 */
class PartCheckTest {
    @Test
    void anUnknownPartNameOffersTheValidOnes() {
        Diagnosed.assertOnlyError("""
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 3}) Tensor x();
                    @LSTM(units = 8, returnState = true) Tensor encoder(Tensor x);
                    @Part("hh") Tensor state(Tensor encoder);
                    @Dense(units = 1) @Output Tensor y(Tensor state);
                }
                """, "\"hh\"", "[kiln/Part] 'state' selects part 'hh' of 'encoder', but LSTM 'encoder' has parts 'h'"
                + " and 'c'; did you mean 'h'?");
    }

    @Test
    void aLayerWithoutParts() {
        Diagnosed.assertOnlyError("""
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = 3) Tensor x();
                    @Dense(units = 8) Tensor hidden(Tensor x);
                    @Part("h") Tensor state(Tensor hidden);
                    @Dense(units = 1) @Output Tensor y(Tensor state);
                }
                """, "\"h\"", "[kiln/Part] 'state' selects part 'h' of 'hidden', but Dense 'hidden' gives one value,"
                + " its output, and has no parts. Parts are the final states of a recurrent layer with"
                + " returnState = true and the further @Outputs of a @Nested model.");
    }

    @Test
    void aRecurrentLayerWithoutReturnState() {
        Diagnosed.assertOnlyError("""
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 3}) Tensor x();
                    @GRU(units = 8) Tensor encoder(Tensor x);
                    @Part("h") Tensor state(Tensor encoder);
                    @Dense(units = 1) @Output Tensor y(Tensor state);
                }
                """, "\"h\"", "[kiln/Part] 'state' selects part 'h' of 'encoder', but GRU 'encoder' gives its parts"
                + " only with returnState = true. Add it: @GRU(units = 8, returnState = true).");
    }

    @Test
    void aBidirectionalLayerWithoutReturnState() {
        Diagnosed.assertOnlyError("""
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 3}) Tensor x();
                    @Bidirectional @LSTM(units = 8) Tensor encoder(Tensor x);
                    @Part("forwardH") Tensor h(Tensor encoder);
                    @Dense(units = 1) @Output Tensor y(Tensor h);
                }
                """, "\"forwardH\"", "[kiln/Part] 'h' selects part 'forwardH' of 'encoder', but Bidirectional"
                + " 'encoder' gives its parts only with returnState = true. Add it: @Bidirectional @LSTM(units = 8,"
                + " returnState = true).");
    }

    @Test
    void aPartSelectedTwice() {
        Diagnosed.assertOnlyError("""
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 3}) Tensor x();
                    @LSTM(units = 8, returnState = true) Tensor encoder(Tensor x);
                    @Part("h") Tensor state(Tensor encoder);
                    @Part("h") Tensor again(Tensor encoder);
                    @Concatenate @Output Tensor y(Tensor state, Tensor again);
                }
                """, "\"h\") Tensor again", "[kiln/Part] 'again' selects part 'h' of 'encoder', which 'state'"
                + " already selects. A part is one node: consume 'state' instead.");
    }

    @Test
    void aNestedModelsFirstOutputAndAMisspeltOne() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Model interface Encoder {
                        @Input(shape = 4) Tensor x();
                        @Dense(units = 2) @Output Tensor zMean(Tensor x);
                        @Dense(units = 2) @Output Tensor zLogVar(Tensor x);
                    }
                    @Input(shape = 4) Tensor x();
                    @Nested(Encoder.class) Tensor encoder(Tensor x);
                    @Part("zMean") Tensor mean(Tensor encoder);
                    @Part("zLogVr") Tensor logVar(Tensor encoder);
                    @Concatenate @Output Tensor y(Tensor mean, Tensor logVar);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        List<Diagnostic<? extends JavaFileObject>> all = Diagnosed.all(c);
        assertEquals(2, all.size(), all::toString);
        assertAt(all.get(0), Diagnostic.Kind.ERROR, source, "\"zMean\"", "[kiln/Part] 'mean' selects part 'zMean' of"
                + " 'encoder', but 'zMean' is the first @Output of Encoder, which is the value of 'encoder' itself."
                + " Consume 'encoder'.");
        assertAt(all.get(1), Diagnostic.Kind.ERROR, source, "\"zLogVr\"", "[kiln/Part] 'logVar' selects part"
                + " 'zLogVr' of 'encoder', but Encoder, which 'encoder' runs, has one part, 'zLogVar'; did you mean"
                + " 'zLogVar'?");
    }

    @Test
    void aPartOfANestedModelWithOneOutput() {
        Diagnosed.assertOnlyError("""
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Model interface Encoder {
                        @Input(shape = 4) Tensor x();
                        @Dense(units = 2) @Output Tensor code(Tensor x);
                    }
                    @Input(shape = 4) Tensor x();
                    @Nested(Encoder.class) Tensor encoder(Tensor x);
                    @Part("other") Tensor other(Tensor encoder);
                    @Dense(units = 1) @Output Tensor y(Tensor other);
                }
                """, "\"other\"", "[kiln/Part] 'other' selects part 'other' of 'encoder', but Encoder, which 'encoder'"
                + " runs, has a single @Output, the node's own value. Add @Outputs to Encoder to select more of its"
                + " values.");
    }

    @Test
    void aPartTakesOneNode() {
        Diagnosed.assertOnlyError("""
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 3}) Tensor x();
                    @LSTM(units = 8, returnState = true) Tensor encoder(Tensor x);
                    @Part("h") Tensor state(Tensor encoder, Tensor x);
                    @Dense(units = 1) @Output Tensor y(Tensor state);
                }
                """, "@Part", "[kiln/InputCount] @Part 'state' takes 1 input(s), but has 2. Remove the extra"
                + " parameter(s).");
    }
}
