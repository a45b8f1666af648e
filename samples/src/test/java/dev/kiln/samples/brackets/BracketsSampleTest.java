package dev.kiln.samples.brackets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.Fit;
import dev.kiln.samples.Options;
import dev.kiln.samples.Result;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class BracketsSampleTest {
    /** The short run: 2 of the sample's {@value BracketsSample#EPOCHS} epochs. */
    @Test
    void tellsBalancedStringsFromTheirNearMissesOnUnseenStrings() {
        Result result = BracketsSample.run(Options.defaults().withEpochs(2).withQuiet(true));
        System.out.println("brackets (2 epochs): test " + result.test());
        assertTrue(result.get("accuracy") >= 0.98, () -> "test accuracy " + result.test());
    }

    /** The same data, the same embedding, but the order lost in a (masked) mean: chance, whatever the training. */
    @Test
    void aModelBlindToOrderStaysAtChance() {
        BracketsSample.Strings strings = BracketsSample.strings(Options.DEFAULT_SEED);
        OrderBlindBracketsModel model = OrderBlindBracketsModel.create(Options.DEFAULT_SEED);
        model.compile(new Adam(BracketsSample.LEARNING_RATE));
        model.fit(BracketsSample.dataset(strings.train()), Fit.epochs(5).batchSize(BracketsSample.BATCH_SIZE)
                .verbose(0));
        double accuracy = model.evaluate(BracketsSample.dataset(strings.test())).get("accuracy");
        System.out.println("brackets, order-blind: test accuracy " + accuracy);
        assertEquals(0.5, accuracy, 0.02);
    }

    /**
     * What makes the task one for a sequence model: each pair is a balanced string and an unbalanced one with the same
     * characters, so a model blind to order is right on exactly one of the two; and every string opens as many
     * brackets as it closes, so counting them tells nothing either.
     */
    @Test
    void pairsHoldTheSameCharactersInAnOrderThatDecides() {
        List<String> strings = BracketsSample.pairs(2_000, new SplittableRandom(5), Set.of());
        for (int i = 0; i < strings.size(); i += 2) {
            String good = strings.get(i);
            String bad = strings.get(i + 1);
            assertTrue(balanced(good), good);
            assertFalse(balanced(bad), bad);
            assertEquals(sorted(good), sorted(bad), good + " / " + bad);
            assertEquals(count(good, '('), count(good, ')'), good);
            assertTrue(good.length() <= BracketsSample.MAX_LENGTH && count(good, '(') >= 1, good);
            assertTrue(good.matches("[()abcd]+"), good);
        }
    }

    @Test
    void heldOutStringsNeverOccurInTraining() {
        SplittableRandom random = new SplittableRandom(1);
        List<String> train = BracketsSample.pairs(500, random, Set.of());
        List<String> test = BracketsSample.pairs(500, random, new HashSet<>(train));
        assertTrue(test.stream().noneMatch(new HashSet<>(train)::contains));
    }

    @Test
    void stringsAreTokenIdsPaddedWithZero() {
        INDArray ids = BracketsSample.encode(List.of("(a)", "d)(c"));
        int[] first = new int[BracketsSample.MAX_LENGTH];
        first[0] = 1;
        first[1] = 3;
        first[2] = 2;
        assertArrayEquals(first, ids.getRow(0).toIntVector());
        assertEquals(6, ids.getInt(1, 0));
        assertEquals(0, ids.getInt(1, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BracketsSample.encode(List.of("()", "(x)")));
        assertEquals("string 1, \"(x)\", holds 'x' at 1; the model reads only the characters ()abcd", e.getMessage());
    }

    /** The rule written out again, apart from the sample's: the depth never below 0 and 0 at the end. */
    private static boolean balanced(String s) {
        int depth = 0;
        int lowest = 0;
        for (char c : s.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            lowest = Math.min(lowest, depth);
        }
        return depth == 0 && lowest == 0;
    }

    private static String sorted(String s) {
        char[] chars = s.toCharArray();
        Arrays.sort(chars);
        return new String(chars);
    }

    private static long count(String s, char c) {
        return s.chars().filter(x -> x == c).count();
    }
}
