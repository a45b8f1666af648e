package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * kiln/InternalError: an exception inside Kiln becomes one error that says it is Kiln's bug, names the model and
 * carries the trace. No model reaches it on purpose (the property test in {@code RandomModelsTest} compiles hundreds
 * of valid and broken models and asserts it never shows), so the text is checked here directly.
 */
class InternalErrorCheckTest {
    @Test
    void namesTheModelAndCarriesTheTrace() {
        String text = Diagnostics.internalError("demo.Net", new IllegalStateException("boom"));
        String head = "[kiln/InternalError] Kiln failed on model 'demo.Net'. This is a bug in Kiln, not in your model;"
                + " please report it with this trace:\njava.lang.IllegalStateException: boom\n";
        assertEquals(head, text.substring(0, head.length()));
        assertTrue(text.contains("at dev.kiln.processor.InternalErrorCheckTest.namesTheModelAndCarriesTheTrace"), text);
    }
}
