package dev.kiln.samples.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.samples.Options;
import dev.kiln.samples.Result;
import org.junit.jupiter.api.Test;

class ReverseSampleTest {
    @Test
    void reversesHeldOutSequences() {
        Result result = ReverseSample.run(Options.defaults().withQuiet(true));
        System.out.printf("reverse: next-id accuracy %.4f, sequences reversed exactly %.4f%n",
                result.get("accuracy"), result.get("sequence_accuracy"));
        assertTrue(result.get("accuracy") >= 0.95, () -> "next-id accuracy " + result.get("accuracy"));
        assertTrue(result.get("sequence_accuracy") >= 0.8, () -> "sequence accuracy "
                + result.get("sequence_accuracy"));
    }

    /** Keras's counts: two embeddings 10 x 16, two LSTMs 4 (64 (16 + 64) + 64), a Dense 64 x 10 + 10. */
    @Test
    void parameterCountIsKeras() {
        assertEquals(2 * 160 + 2 * 4 * (64 * 80 + 64) + 650, ReverseSequencesModel.create(1).countParams());
    }
}
