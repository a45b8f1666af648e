package dev.kiln.processor.check;

import static dev.kiln.processor.Diagnosed.assertAt;
import static dev.kiln.processor.Diagnosed.only;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** kiln/DTypeMismatch: int32 ids fed to a layer that computes on floats, on the consuming parameter. */
class DTypeMismatchCheckTest {
    @Test
    void idsIntoDense() {
        String source = """
                package demo;

                import dev.kiln.dsl.*;

                @Model
                interface Net {
                    @Input(shape = 10, dtype = DType.INT32)
                    Tensor tokens();

                    @Dense(units = 1)
                    @Output
                    Tensor y(Tensor tokens);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        assertAt(only(c), Diagnostic.Kind.ERROR, source, "tokens);",
                "[kiln/DTypeMismatch] Dense 'y' computes on float values, but input 'tokens' holds int32 ids (dtype ="
                        + " INT32), which only a layer that looks ids up takes. Drop dtype = INT32 from 'tokens' to feed"
                        + " it float32 values.");
    }
}
