package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.LayerTesting;
import dev.kiln.processor.ModelCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers that run on ND4J's ops ({@code NativeConvKernel}, {@code NativePoolingKernel}; oneDNN in float32) against
 * the exact paths: float32 against float64 (ND4J's own loops) and float64 against finite differences and the reference,
 * on every branch of the route: valid and evenly padded same convolutions, strides 1 and 2, Conv1D, an input that
 * needs no gradient (the kernel's gradient by im2col), an input that feeds two convolutions (gradients added, so
 * im2col), a kernel gradient in chunks of a batch that does not divide evenly, and max pooling, alone and feeding a
 * node twice.
 */
class NativeRouteTest {
    private static final String IMAGES = """
            package route;
            import dev.kiln.dsl.*;
            @Model interface Images {
                @Input(shape = {9, 9, 1}) Tensor x();
                @Conv2D(filters = 3, kernelSize = 3, activation = Activation.RELU) Tensor a(Tensor x);
                @Conv2D(filters = 4, kernelSize = 3, padding = Padding.SAME, activation = Activation.TANH)
                Tensor b(Tensor a);
                @Conv2D(filters = 2, kernelSize = 3, strides = 2, padding = Padding.SAME) Tensor c(Tensor a);
                @MaxPooling2D(poolSize = 2) Tensor p(Tensor b);
                @MaxPooling2D(poolSize = 3, strides = 1, padding = Padding.SAME) Tensor q(Tensor b);
                @Flatten Tensor fc(Tensor c);
                @Flatten Tensor fp(Tensor p);
                @Flatten Tensor fq(Tensor q);
                @Concatenate Tensor cat(Tensor fc, Tensor fp, Tensor fq);
                @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor cat);
            }
            """;
    private static final String SEQUENCES = """
            package route;
            import dev.kiln.dsl.*;
            @Model interface Sequences {
                @Input(shape = {11, 2}) Tensor x();
                @Dense(units = 3, activation = Activation.TANH) Tensor h(Tensor x);
                @Conv1D(filters = 4, kernelSize = 3, padding = Padding.SAME, activation = Activation.RELU)
                Tensor a(Tensor h);
                @MaxPooling1D(poolSize = 2) Tensor p(Tensor a);
                @Flatten @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor p);
            }
            """;
    private static Compilation compilation;
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        compilation = ModelCompiler.compile("route.Images", IMAGES, "route.Sequences", SEQUENCES);
        loader = LayerTesting.compile("route.Images", IMAGES, "route.Sequences", SEQUENCES);
    }

    private static String generated(String name) {
        JavaFileObject file = compilation.generatedSourceFile(name).orElseThrow();
        try {
            return file.getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void evenlyPaddedLayersRunOnTheOps() {
        String images = generated("route.ImagesModel");
        for (String call : new String[] {"NativeConvKernel.forward(x, aKernel, a,",
            "NativeConvKernel.forward(a, bKernel", "NativeConvKernel.forward(a, cKernel", "NativePoolingKernel.maxForward(b, p,",
            "NativePoolingKernel.maxForward(b, q,", "NativeConvKernel.backward(a, cKernel",
            "NativePoolingKernel.maxBackward(b, "}) {
            assertTrue(images.contains(call), call);
        }
        // a's input is the data: its kernel's gradient alone, by im2col; a feeds c, then b, whose gradient adds
        assertTrue(images.contains("ConvKernel.im2col(x, aColumns"), images);
        assertTrue(images.contains("ConvKernel.col2im("), images);
        assertFalse(images.contains(" PoolingKernel.maxForward("), images); // the heap kernel (not Native...)
        String sequences = generated("route.SequencesModel");
        assertTrue(sequences.contains("NativeConvKernel.backward(h, aKernel"), sequences);
        assertTrue(sequences.contains("NativePoolingKernel.maxBackward(a, "), sequences);
    }

    @Test
    void float32MatchesFloat64() {
        // a batch of 10 in 8 chunks of 2: the last three are empty
        LayerTesting.assertFloat32MatchesFloat64(loader, "route.ImagesModel", new long[] {10, 9, 9, 1},
                new long[] {10, 2});
        LayerTesting.assertFloat32MatchesFloat64(loader, "route.SequencesModel", new long[] {3, 11, 2},
                new long[] {3, 20});
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "route.ImagesModel"),
                "Conv2D and MaxPooling2D on ND4J's ops");
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "route.SequencesModel"),
                "Conv1D and MaxPooling1D on ND4J's ops");
    }
}
