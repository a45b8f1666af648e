package dev.kiln.processor.layers;

import dev.kiln.processor.LayerTesting;
import org.junit.jupiter.api.Test;

class ReturnStateTest {
    @Test
    void encoderDecoder() {
        ClassLoader loader = LayerTesting.compile("state.EncDec", """
                package state;
                import dev.kiln.dsl.*;
                @Model interface EncDec {
                    @Input(shape = {4, 3}) Tensor source();
                    @Input(shape = {5, 2}) Tensor target();
                    @LSTM(units = 3, returnState = true) Tensor encoder(Tensor source);
                    @Part("h") Tensor stateH(Tensor encoder);
                    @Part("c") Tensor stateC(Tensor encoder);
                    @LSTM(units = 3, returnSequences = true)
                    Tensor decoder(Tensor target, @InitialState Tensor stateH, @InitialState Tensor stateC);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor decoder);
                }
                """);
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "state.EncDecModel"), "enc-dec");
    }
}
