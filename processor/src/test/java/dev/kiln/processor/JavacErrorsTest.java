package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Mistakes javac reports itself (an unknown annotation, a type not imported, a missing or mistyped attribute): Kiln
 * adds nothing to javac's errors and does not crash.
 */
class JavacErrorsTest {
    static List<String> messages(String source) {
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertEquals(Compilation.Status.FAILURE, c.status());
        return Diagnosed.all(c).stream().map(JavacErrorsTest::message).toList();
    }

    static String message(Diagnostic<? extends JavaFileObject> d) {
        return d.getLineNumber() + ": " + d.getMessage(Locale.ROOT).lines().findFirst().orElse("");
    }

    @Test
    void misspeltLayerAnnotation() {
        assertEquals(List.of("11: cannot find symbol"), messages("""
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    @Output
                    @Dens(units = 3)
                    Tensor y(Tensor x);
                }
                """));
    }

    @Test
    void tensorNotImported() {
        assertEquals(List.of("9: cannot find symbol", "12: cannot find symbol", "12: cannot find symbol"), messages("""
                package demo;

                import dev.kiln.dsl.Dense;
                import dev.kiln.dsl.Input;
                import dev.kiln.dsl.Model;

                @Model
                interface Net {
                    @Input(shape = 4) Tensor x();

                    @Dense(units = 3)
                    Tensor y(Tensor x);
                }
                """));
    }

    @Test
    void missingAttribute() {
        assertEquals(List.of("10: annotation @dev.kiln.dsl.Dense is missing a default value for the element 'units'"), messages("""
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    @Dense
                    @Output
                    Tensor y(Tensor x);
                }
                """));
    }

    @Test
    void unknownEnumConstant() {
        assertEquals(List.of("10: cannot find symbol"), messages("""
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 4)
                    Tensor x();

                    @Dense(units = 3, activation = Activation.RELUU)
                    @Output
                    Tensor y(Tensor x);
                }
                """));
    }
}
