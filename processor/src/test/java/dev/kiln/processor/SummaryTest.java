package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.optim.Adam;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code summary()} prints Keras 3's table (keras/src/utils/summary_utils.py): a nested model is one
 * {@code (Functional)} row, its layers beneath it only when expanded; a shared layer is one row listing every
 * application as {@code layer[node][tensor]}; a model that is not a chain has a "Connected to" column; the name is the
 * display name; the optimizer's variables appear once it has stepped. The generated class's Javadoc holds the same
 * table, drawn in ASCII.
 */
class SummaryTest {
    private static final String SOURCES = """
            package sums;
            import dev.kiln.dsl.*;
            @Model interface Encoder {
                @Input(shape = 8) Tensor image();
                @Dense(units = 4, activation = Activation.RELU) Tensor hidden(Tensor image);
                @Dense(units = 2) @Output Tensor code(Tensor hidden);
            }
            """;
    private static final String AUTOENCODER = """
            package sums;
            import dev.kiln.dsl.*;
            @Model(displayName = "autoencoder") interface Autoencoder {
                @Input(shape = 8) Tensor x();
                @Nested(Encoder.class) Tensor encoder(Tensor x);
                @Dense(units = 8) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor decoded(Tensor encoder);
            }
            """;
    private static final String SIAMESE = """
            package sums;
            import dev.kiln.dsl.*;
            @Model interface Siamese {
                @Input(shape = 8) Tensor left();
                @Input(shape = 8) Tensor right();
                @Nested(Encoder.class) Tensor encodeLeft(Tensor left);
                @Shared("encodeLeft") Tensor encodeRight(Tensor right);
                @Dense(units = 3, activation = Activation.TANH) Tensor project(Tensor encodeLeft);
                @Shared("project") Tensor projectRight(Tensor encodeRight);
                @Subtract Tensor diff(Tensor project, Tensor projectRight);
                @Dense(units = 1, activation = Activation.SIGMOID) @Output(loss = Loss.BINARY_CROSSENTROPY)
                Tensor same(Tensor diff);
            }
            """;
    private static final String NEWS = """
            package sums;
            import dev.kiln.dsl.*;
            @Model interface News {
                @Input(shape = 6, dtype = DType.INT32) Tensor title();
                @Input(shape = 3) Tensor meta();
                @Embedding(inputDim = 50, outputDim = 4) Tensor words(Tensor title);
                @LSTM(units = 5) Tensor text(Tensor words);
                @Dense(units = 1, activation = Activation.SIGMOID) @Output(loss = Loss.BINARY_CROSSENTROPY)
                Tensor aux(Tensor text);
                @Concatenate Tensor merged(Tensor text, Tensor meta);
                @Dense(units = 1, activation = Activation.SIGMOID) @Output(loss = Loss.BINARY_CROSSENTROPY)
                Tensor main(Tensor merged);
            }
            """;
    private static Compilation compilation;
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        compilation = ModelCompiler.compile("sums.Encoder", SOURCES, "sums.Autoencoder", AUTOENCODER, "sums.Siamese",
                SIAMESE, "sums.News", NEWS);
        assertEquals(Compilation.Status.SUCCESS, compilation.status(), compilation.diagnostics()::toString);
        loader = ModelCompiler.loader(compilation);
    }

    private static KilnModel model(String name) {
        return ModelCompiler.create(loader, "sums." + name + "Model", 1, DataType.FLOAT);
    }

    @Test
    void aNestedModelIsOneFunctionalRowAndItsLayersShowWhenExpanded() {
        KilnModel m = model("Autoencoder");
        assertEquals("""
                Model: "autoencoder"
                ┏━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━━┓
                ┃ Layer (type)         ┃ Output Shape ┃ Param # ┃
                ┡━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━┩
                │ x (InputLayer)       │ (None, 8)    │       0 │
                ├──────────────────────┼──────────────┼─────────┤
                │ encoder (Functional) │ (None, 2)    │      46 │
                ├──────────────────────┼──────────────┼─────────┤
                │ decoded (Dense)      │ (None, 8)    │      24 │
                └──────────────────────┴──────────────┴─────────┘
                 Total params: 70 (280.00 B)
                 Trainable params: 70 (280.00 B)
                 Non-trainable params: 0 (0.00 B)
                """, m.summary());
        assertEquals("""
                Model: "autoencoder"
                ┏━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━━┓
                ┃ Layer (type)         ┃ Output Shape ┃ Param # ┃
                ┡━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━┩
                │ x (InputLayer)       │ (None, 8)    │       0 │
                ├──────────────────────┼──────────────┼─────────┤
                │ encoder (Functional) │ (None, 2)    │      46 │
                ├──────────────────────┼──────────────┼─────────┤
                │    └ hidden (Dense)  │ (None, 4)    │      36 │
                ├──────────────────────┼──────────────┼─────────┤
                │    └ code (Dense)    │ (None, 2)    │      10 │
                ├──────────────────────┼──────────────┼─────────┤
                │ decoded (Dense)      │ (None, 8)    │      24 │
                └──────────────────────┴──────────────┴─────────┘
                 Total params: 70 (280.00 B)
                 Trainable params: 70 (280.00 B)
                 Non-trainable params: 0 (0.00 B)
                """, m.summary(true));
    }

    @Test
    void aSharedLayerIsOneRowWithEveryApplication() {
        assertEquals("""
                Model: "Siamese"
                ┏━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
                ┃ Layer (type)            ┃ Output Shape ┃ Param # ┃ Connected to                       ┃
                ┡━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
                │ left (InputLayer)       │ (None, 8)    │       0 │ -                                  │
                ├─────────────────────────┼──────────────┼─────────┼────────────────────────────────────┤
                │ right (InputLayer)      │ (None, 8)    │       0 │ -                                  │
                ├─────────────────────────┼──────────────┼─────────┼────────────────────────────────────┤
                │ encodeLeft (Functional) │ (None, 2)    │      46 │ left[0][0], right[0][0]            │
                ├─────────────────────────┼──────────────┼─────────┼────────────────────────────────────┤
                │ project (Dense)         │ (None, 3)    │       9 │ encodeLeft[0][0], encodeLeft[1][0] │
                ├─────────────────────────┼──────────────┼─────────┼────────────────────────────────────┤
                │ diff (Subtract)         │ (None, 3)    │       0 │ project[0][0], project[1][0]       │
                ├─────────────────────────┼──────────────┼─────────┼────────────────────────────────────┤
                │ same (Dense)            │ (None, 1)    │       4 │ diff[0][0]                         │
                └─────────────────────────┴──────────────┴─────────┴────────────────────────────────────┘
                 Total params: 59 (236.00 B)
                 Trainable params: 59 (236.00 B)
                 Non-trainable params: 0 (0.00 B)
                """, model("Siamese").summary());
    }

    @Test
    void aMultiOutputModelConnectsEachInput() {
        assertEquals("""
                Model: "News"
                ┏━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┓
                ┃ Layer (type)         ┃ Output Shape ┃ Param # ┃ Connected to           ┃
                ┡━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━┩
                │ title (InputLayer)   │ (None, 6)    │       0 │ -                      │
                ├──────────────────────┼──────────────┼─────────┼────────────────────────┤
                │ meta (InputLayer)    │ (None, 3)    │       0 │ -                      │
                ├──────────────────────┼──────────────┼─────────┼────────────────────────┤
                │ words (Embedding)    │ (None, 6, 4) │     200 │ title[0][0]            │
                ├──────────────────────┼──────────────┼─────────┼────────────────────────┤
                │ text (LSTM)          │ (None, 5)    │     200 │ words[0][0]            │
                ├──────────────────────┼──────────────┼─────────┼────────────────────────┤
                │ aux (Dense)          │ (None, 1)    │       6 │ text[0][0]             │
                ├──────────────────────┼──────────────┼─────────┼────────────────────────┤
                │ merged (Concatenate) │ (None, 8)    │       0 │ text[0][0], meta[0][0] │
                ├──────────────────────┼──────────────┼─────────┼────────────────────────┤
                │ main (Dense)         │ (None, 1)    │       9 │ merged[0][0]           │
                └──────────────────────┴──────────────┴─────────┴────────────────────────┘
                 Total params: 415 (1.62 KB)
                 Trainable params: 415 (1.62 KB)
                 Non-trainable params: 0 (0.00 B)
                """, model("News").summary());
    }

    /** Keras's Adam holds two slots per trainable weight, its iteration count (int64) and learning rate (float32). */
    @Test
    void optimizerVariablesAppearOnceTheOptimizerHasStepped() {
        KilnModel m = model("Autoencoder");
        m.compile(new Adam(1e-3));
        assertTrue(m.summary().endsWith(" Non-trainable params: 0 (0.00 B)\n"), m.summary());
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 8);
        m.trainOnBatch(java.util.Map.of("x", x), java.util.Map.of("decoded", x));
        assertTrue(m.summary().endsWith("""
                 Total params: 212 (852.00 B)
                 Trainable params: 70 (280.00 B)
                 Non-trainable params: 0 (0.00 B)
                 Optimizer params: 142 (572.00 B)
                """), m.summary());
    }

    /** The compile-time summary, the generated class's Javadoc, is the same table, drawn in ASCII. */
    @Test
    void theJavadocHoldsTheSameTable() {
        for (String name : new String[] {"Autoencoder", "Siamese", "News"}) {
            String source = ModelCompiler.generatedSource(compilation, "sums." + name + "Model");
            String ascii = model(name).summary().replace("└ ", "- ").replaceAll("[┏┳┓┡╇┩├┼┤└┴┘]", "+")
                    .replace('━', '=').replace('─', '-').replaceAll("[┃│]", "|");
            String javadoc = (" * " + ascii.stripTrailing().replace("\n", "\n * ")).replaceAll(" +\n", "\n");
            assertTrue(source.contains(javadoc), () -> name + ":\n" + javadoc + "\nnot in\n" + source);
        }
    }
}
