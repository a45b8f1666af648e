package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One golden generated file per feature of the code generator, so that a change to what Kiln writes shows as a diff
 * a reviewer reads: the fused softmax and cross-entropy, dropout's training and inference branches, merges, a shared
 * layer's accumulated gradient, a nested model, a frozen node. Set {@code -Dkiln.updateGoldens=true} to rewrite them
 * after an intended change.
 */
class FeatureGoldensTest {
    private static final String[] SOURCES = {
        "golden.FusedSoftmax", """
            package golden;
            import dev.kiln.dsl.*;
            @Model interface FusedSoftmax {
                @Input(shape = 8) Tensor x();
                @Dense(units = 4, activation = Activation.SOFTMAX)
                @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY) Tensor digit(Tensor x);
            }
            """,
        "golden.Dropped", """
            package golden;
            import dev.kiln.dsl.*;
            @Model interface Dropped {
                @Input(shape = 8) Tensor x();
                @Dense(units = 6, activation = Activation.RELU) Tensor h(Tensor x);
                @Dropout(rate = 0.5, seed = 42) Tensor d(Tensor h);
                @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor d);
            }
            """,
        "golden.Merged", """
            package golden;
            import dev.kiln.dsl.*;
            @Model interface Merged {
                @Input(shape = 4) Tensor a();
                @Input(shape = 4) Tensor b();
                @Dense(units = 4) Tensor p(Tensor a);
                @Add Tensor sum(Tensor p, Tensor b);
                @Multiply Tensor product(Tensor p, Tensor b);
                @Concatenate Tensor both(Tensor sum, Tensor product);
                @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor both);
            }
            """,
        "golden.SharedEncoder", """
            package golden;
            import dev.kiln.dsl.*;
            @Model interface SharedEncoder {
                @Input(shape = 5) Tensor left();
                @Input(shape = 5) Tensor right();
                @Dense(units = 3, activation = Activation.TANH) Tensor encodedLeft(Tensor left);
                @Shared("encodedLeft") Tensor encodedRight(Tensor right);
                @Subtract Tensor diff(Tensor encodedLeft, Tensor encodedRight);
                @Dense(units = 1, activation = Activation.SIGMOID)
                @Output(loss = Loss.BINARY_CROSSENTROPY) Tensor same(Tensor diff);
            }
            """,
        "golden.Tower", """
            package golden;
            import dev.kiln.dsl.*;
            @Model interface Tower {
                @Input(shape = 5) Tensor x();
                @Dense(units = 3, activation = Activation.RELU) @Output Tensor features(Tensor x);
            }
            """,
        "golden.NestedTower", """
            package golden;
            import dev.kiln.dsl.*;
            @Model interface NestedTower {
                @Input(shape = 5) Tensor x();
                @Nested(Tower.class) Tensor tower(Tensor x);
                @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor tower);
            }
            """,
        "golden.FrozenBase", """
            package golden;
            import dev.kiln.dsl.*;
            @Model interface FrozenBase {
                @Input(shape = 5) Tensor x();
                @Dense(units = 4, activation = Activation.TANH, trainable = false) Tensor base(Tensor x);
                @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor head(Tensor base);
            }
            """,
    };

    private static Compilation compilation;

    @BeforeAll
    static void compile() {
        compilation = ModelCompiler.compile(SOURCES);
        assertEquals(Compilation.Status.SUCCESS, compilation.status(), compilation.diagnostics()::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FusedSoftmax", "Dropped", "Merged", "SharedEncoder", "NestedTower", "FrozenBase"})
    void generatedSourceMatchesGolden(String model) throws IOException {
        String actual = ModelCompiler.generatedSource(compilation, "golden." + model + "Model");
        String resource = "goldens/features/" + model + "Model.java.txt";
        if (Boolean.getBoolean("kiln.updateGoldens")) {
            Path golden = Path.of("src/test/resources", resource);
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual);
        }
        try (InputStream in = getClass().getResourceAsStream("/" + resource)) {
            assertEquals(true, in != null, "no golden " + resource + ": run with -Dkiln.updateGoldens=true once");
            String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(expected, actual, model + ": generated source changed; review the diff and update the golden");
        }
    }
}
