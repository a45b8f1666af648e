package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class FitTest {

    @Test
    void kerasDefaults() {
        Fit fit = Fit.epochs(10);
        assertEquals(10, fit.epochs());
        assertEquals(32, fit.batchSize());
        assertEquals(0.0, fit.validationSplit());
        assertNull(fit.validationData());
        assertTrue(fit.shuffle());
        assertEquals(Fit.AUTO, fit.verbose());
        assertEquals(List.of(), fit.callbacks());
        assertEquals(0, fit.initialEpoch());
        assertEquals(0, fit.stepsPerEpoch());
        assertSame(System.out, fit.out());
    }

    @Test
    void everyOptionReturnsANewFit() {
        Fit base = Fit.epochs(3);
        Fit changed = base.batchSize(64).shuffle(false).seed(9).verbose(2).initialEpoch(1).stepsPerEpoch(5)
                .validationSplit(0.25).callbacks(new TerminateOnNaN());
        assertEquals(32, base.batchSize());
        assertTrue(base.shuffle());
        assertEquals(64, changed.batchSize());
        assertFalse(changed.shuffle());
        assertEquals(9, changed.seed());
        assertEquals(2, changed.verbose());
        assertEquals(1, changed.initialEpoch());
        assertEquals(5, changed.stepsPerEpoch());
        assertEquals(0.25, changed.validationSplit());
        assertEquals(1, changed.callbacks().size());
        assertEquals(3, changed.epochs());
    }

    @Test
    void autoVerbosityIsTwoWhenNotPrintingToATerminal() {
        PrintStream file = new PrintStream(OutputStream.nullOutputStream());
        assertEquals(2, Fit.epochs(1).printTo(file).resolvedVerbose());
        assertEquals(1, Fit.epochs(1).printTo(file).verbose(1).resolvedVerbose());
        assertEquals(0, Fit.epochs(1).verbose(0).resolvedVerbose());
    }

    @Test
    void badValuesAreRefusedWithTheRule() {
        assertEquals("epochs must be at least 1, but is 0",
                assertThrows(IllegalArgumentException.class, () -> Fit.epochs(0)).getMessage());
        assertEquals("batchSize must be at least 1, but is 0",
                assertThrows(IllegalArgumentException.class, () -> Fit.epochs(1).batchSize(0)).getMessage());
        assertEquals("validationSplit must be in [0, 1), e.g. 0.1 for 10%, but is 1.0",
                assertThrows(IllegalArgumentException.class, () -> Fit.epochs(1).validationSplit(1)).getMessage());
        assertEquals("verbose must be 0 (silent), 1 (progress bar), 2 (one line per epoch) or Fit.AUTO, but is 3",
                assertThrows(IllegalArgumentException.class, () -> Fit.epochs(1).verbose(3)).getMessage());
    }
}
