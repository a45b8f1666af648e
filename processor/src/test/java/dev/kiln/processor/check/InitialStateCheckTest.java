package dev.kiln.processor.check;

import dev.kiln.processor.Diagnosed;
import org.junit.jupiter.api.Test;

/**
 * {@code @InitialState} parameters that do not fit their layer, each on the parameter: too few states
 * (kiln/InputCount), a state of the wrong width (kiln/ShapeMismatch, with the path), a mark on a layer without state, an
 * extra parameter without the mark, a mark on the sequence.
 */
class InitialStateCheckTest {
    @Test
    void anLstmGivenOneStateOfTwo() {
        Diagnosed.assertOnlyError("""
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 3}) Tensor x();
                    @Input(shape = {5, 2}) Tensor t();
                    @LSTM(units = 8, returnState = true) Tensor encoder(Tensor x);
                    @Part("h") Tensor h(Tensor encoder);
                    @LSTM(units = 8) @Output Tensor decoder(Tensor t, @InitialState Tensor h);
                }
                """, "h);", "[kiln/InputCount] LSTM 'decoder' starts from 2 states (h, c), all"
                + " given or none, but 1 parameter is marked @InitialState. Feed them in this order: 'Tensor"
                + " decoder(Tensor t, @InitialState Tensor h, @InitialState Tensor c)'.");
    }

    @Test
    void aStateOfTheWrongWidth() {
        Diagnosed.assertOnlyError("""
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 3}) Tensor x();
                    @Input(shape = {5, 2}) Tensor t();
                    @GRU(units = 8, returnState = true) Tensor encoder(Tensor x);
                    @Part("h") Tensor h(Tensor encoder);
                    @GRU(units = 16) @Output Tensor decoder(Tensor t, @InitialState Tensor h);
                }
                """, "h);", "[kiln/ShapeMismatch] GRU 'decoder' takes 'h' as its initial state h,"
                + " of shape (16), but 'h' has shape (8).\n"
                + "      x        @Input(shape = {4, 3})                           (4, 3)\n"
                + "      t        @Input(shape = {5, 2})                           (5, 2)\n"
                + "      encoder  @GRU(units = 8, returnState = true)  <- x        (8)\n"
                + "      h        @Part(\"h\")                           <- encoder  (8)\n"
                + "  Make them agree, e.g. @GRU(units = 8) on 'decoder'.");
    }

    @Test
    void aMarkOnALayerWithoutState() {
        Diagnosed.assertOnlyError("""
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = 3) Tensor x();
                    @Input(shape = 3) Tensor s();
                    @Dense(units = 4) @Output Tensor y(Tensor x, @InitialState Tensor s);
                }
                """, "s);", "[kiln/InputCount] 's' is marked @InitialState, but Dense 'y' has no"
                + " state to start from. @InitialState feeds the initial states of a recurrent layer (LSTM, GRU,"
                + " SimpleRNN); remove it.");
    }

    @Test
    void anExtraParameterWithoutTheMark() {
        Diagnosed.assertOnlyError("""
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 3}) Tensor x();
                    @Input(shape = 8) Tensor s();
                    @SimpleRNN(units = 8) @Output Tensor y(Tensor x, Tensor s);
                }
                """, "s);", "[kiln/InputCount] SimpleRNN 'y' takes one sequence, then its initial states"
                + " marked @InitialState, but 's' is not marked. Mark it '@InitialState Tensor s', or remove it.");
    }

    @Test
    void aMarkOnTheSequence() {
        Diagnosed.assertOnlyError("""
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 3}) Tensor x();
                    @Input(shape = 8) Tensor s();
                    @LSTM(units = 8) @Output Tensor y(@InitialState Tensor s, Tensor x);
                }
                """, "s, Tensor x)", "[kiln/InputCount] LSTM 'y' reads its sequence from its first"
                + " parameter, but 's' is marked @InitialState. Put the sequence first and the initial states after"
                + " it: 'Tensor y(Tensor sequence, @InitialState Tensor h, @InitialState Tensor c)'.");
    }

    @Test
    void aBidirectionalLayerTakesBothCopiesStates() {
        Diagnosed.assertOnlyError("""
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 3}) Tensor x();
                    @Input(shape = 8) Tensor h();
                    @Bidirectional @GRU(units = 8) @Output Tensor y(Tensor x, @InitialState Tensor h);
                }
                """, "h);", "[kiln/InputCount] Bidirectional 'y' starts from 2 states (forwardH,"
                + " backwardH), all given or none, but 1 parameter is marked @InitialState. Feed them in this order:"
                + " 'Tensor y(Tensor x, @InitialState Tensor forwardH, @InitialState Tensor backwardH)'.");
    }
}
