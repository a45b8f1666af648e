package dev.kiln.processor.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.dsl.Padding;
import dev.kiln.processor.graph.Shape;
import org.junit.jupiter.api.Test;

/** {@link ConvRoute}'s choice: the ops where their symmetric padding is Keras's, im2col elsewhere. */
class ConvRouteTest {
    private static ConvRoute route(long n, int size, int stride, int dilation, Padding padding) {
        SlidingWindow w = new SlidingWindow(size, stride, dilation, padding);
        return ConvRoute.of(new SlidingWindow[] {w, w}, Shape.of(n, n, 1));
    }

    @Test
    void validAndEvenlyPaddedSameRunOnTheOps() {
        assertEquals(ConvRoute.NATIVE, route(28, 3, 1, 1, Padding.VALID));
        assertEquals(ConvRoute.NATIVE, route(14, 3, 1, 1, Padding.SAME)); // one zero each side
        assertEquals(ConvRoute.NATIVE, route(5, 3, 2, 1, Padding.SAME)); // out 3, padding 2: one each side
        assertEquals(ConvRoute.NATIVE, route(8, 2, 4, 1, Padding.SAME)); // out 2, no padding needed
    }

    @Test
    void oddPaddingCausalAndDilationUseIm2col() {
        assertEquals(ConvRoute.IM2COL, route(3, 2, 1, 1, Padding.SAME)); // the odd zero goes after
        assertEquals(ConvRoute.IM2COL, route(6, 3, 2, 1, Padding.SAME)); // out 3, padding 1
        assertEquals(ConvRoute.IM2COL, route(9, 3, 1, 1, Padding.CAUSAL));
        assertEquals(ConvRoute.IM2COL, route(9, 2, 1, 2, Padding.VALID));
        assertEquals(ConvRoute.NATIVE, route(9, 1, 1, 1, Padding.CAUSAL)); // a 1-wide causal window pads nothing
    }
}
