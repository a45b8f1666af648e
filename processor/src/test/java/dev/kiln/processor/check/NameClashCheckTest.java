package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.ModelCompiler;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/**
 * kiln/NameClash: a generated name that is no legal Java name, or that is taken (by another model, by a type of the
 * sources, by the interface itself, or inside the generated class). Without the check each of these was a crash of
 * the processor, a Filer error, or a generated file that does not compile.
 */
class NameClashCheckTest {
    static final String BODY = """
                @Input(shape = 4)
                Tensor x();

                @Dense(units = 1)
                @Output
                Tensor y(Tensor x);
            """;

    @Test
    void twoModelsGenerateOneClass() {
        String first = """
                package demo;

                import dev.kiln.dsl.*;

                class Vision {
                    @Model
                    interface Net {
                %s    }
                }
                """.formatted(BODY);
        String second = """
                package demo;

                import dev.kiln.dsl.*;

                class Audio {
                    @Model
                    interface Net {
                %s    }
                }
                """.formatted(BODY);
        Compilation c = ModelCompiler.compile("demo.Vision", first, "demo.Audio", second);
        assertAt(only(c), Diagnostic.Kind.ERROR, second, "interface Net",
                "[kiln/NameClash] model 'demo.Audio.Net' would generate demo.NetModel, which model 'demo.Vision.Net'"
                        + " already generates. Rename one, or choose the class name with @Model(name = \"...\").");
    }

    @Test
    void notAJavaName() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model(name = "digit-classifier")
                interface Net {
                %s}
                """.formatted(BODY);
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "\"digit-classifier\")",
                "[kiln/NameClash] @Model(name = \"digit-classifier\") names the generated class, but 'digit-classifier'"
                        + " is not a legal Java class name. Use an identifier such as \"DigitClassifier\".");
    }

    /** demo.Activation would win over the interface's own 'import dev.kiln.dsl.*;'. */
    @Test
    void hidesADslType() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model(name = "Activation")
                interface Net {
                %s}
                """.formatted(BODY);
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "\"Activation\")",
                "[kiln/NameClash] @Model(name = \"Activation\") names the generated class, but a class Activation beside"
                        + " the interface hides dev.kiln.dsl.Activation from every source of its package. Choose another"
                        + " name, e.g. \"ActivationModel\".");
    }

    @Test
    void aTypeOfTheSourcesHasTheName() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                %s}
                """.formatted(BODY);
        Compilation c = ModelCompiler.compile("demo.Net", source, "demo.NetModel", "package demo; class NetModel {}");
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "interface Net",
                "[kiln/NameClash] model 'demo.Net' would generate demo.NetModel, but the sources already declare a type"
                        + " of that name. Rename one, or choose the class name with @Model(name = \"...\").");
    }

    @Test
    void theInterfaceItself() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model(name = "Net")
                interface Net {
                %s}
                """.formatted(BODY);
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "\"Net\")",
                "[kiln/NameClash] model 'demo.Net' would generate demo.Net, the interface itself. Choose another name in"
                        + " @Model(name = \"...\").");
    }

    /** With two outputs, predict returns a record with a component per output. */
    @Test
    void anOutputNamedLikeAnObjectMethod() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    @Dense(units = 1)
                    @Output
                    Tensor y(Tensor x);

                    @Dense(units = 1)
                    @Output
                    Tensor clone(Tensor x);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "clone(",
                "[kiln/NameClash] output 'clone' would name a component of the record NetModel.Outputs that predict"
                        + " returns, but a record component cannot be called 'clone'. Rename the node, e.g."
                        + " 'cloneOutput'.");
    }
}
