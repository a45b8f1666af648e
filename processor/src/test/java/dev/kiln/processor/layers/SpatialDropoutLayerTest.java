package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code @SpatialDropout2D}: in training a channel of a sample is dropped or kept (and scaled) as a whole. */
class SpatialDropoutLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("sd.Maps", """
                package sd;
                import dev.kiln.dsl.*;
                @Model interface Maps {
                    @Input(shape = {3, 4, 6}) Tensor x();
                    @SpatialDropout2D(rate = 0.5, seed = 11) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor x);
                }
                """);
    }

    @Test
    void wholeChannelsAreDroppedOrKeptAndScaled() {
        KilnModel m = LayerTesting.model(loader, "sd.MapsModel");
        INDArray x = Nd4j.ones(DataType.DOUBLE, 8, 3, 4, 6);
        INDArray y = m.computeGradients(new INDArray[] {x}, new INDArray[] {x}, true).predictions()[0];
        int dropped = 0;
        for (int b = 0; b < 8; b++) {
            for (int c = 0; c < 6; c++) {
                double first = y.getDouble(b, 0, 0, c);
                assertTrue(first == 0 || first == 2, "kept channels scale by 1 / (1 - 0.5)");
                for (int h = 0; h < 3; h++) {
                    for (int w = 0; w < 4; w++) {
                        assertEquals(first, y.getDouble(b, h, w, c), "one draw per sample and channel");
                    }
                }
                dropped += first == 0 ? 1 : 0;
            }
        }
        int droppedChannels = dropped;
        assertTrue(droppedChannels > 8 && droppedChannels < 40, () -> "about half of 48 dropped: " + droppedChannels);
        assertEquals(x, m.predictBatch(new INDArray[] {x})[0], "identity at inference");
    }
}
