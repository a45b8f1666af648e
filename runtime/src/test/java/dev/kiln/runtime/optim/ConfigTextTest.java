package dev.kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConfigTextTest {

    @Test
    void spellsNumbersAsPythonsRepr() {
        assertEquals("0.001", ConfigText.python(0.001));
        assertEquals("0.0001", ConfigText.python(1e-4));
        assertEquals("1e-05", ConfigText.python(1e-5));
        assertEquals("1e-07", ConfigText.python(1e-7));
        assertEquals("-2.5e-10", ConfigText.python(-2.5e-10));
        assertEquals("0.9", ConfigText.python(0.9));
        assertEquals("0.999", ConfigText.python(0.999));
        assertEquals("1.0", ConfigText.python(1));
        assertEquals("0.0", ConfigText.python(0));
        assertEquals("123456.0", ConfigText.python(123456));
        assertEquals("1e+16", ConfigText.python(1e16));
        assertEquals("1.5e+22", ConfigText.python(1.5e22));
        assertEquals("0.30000000000000004", ConfigText.python(0.1 + 0.2));
        assertEquals("nan", ConfigText.python(Double.NaN));
    }

    @Test
    void writesACall() {
        assertEquals("X(a=0.5, b=None, c=True, d=3)",
                new ConfigText("X").add("a", 0.5).addOptional("b", null).add("c", true).add("d", 3L).toString());
    }
}
