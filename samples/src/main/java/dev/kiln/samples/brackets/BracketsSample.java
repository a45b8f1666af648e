package dev.kiln.samples.brackets;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.History;
import dev.kiln.samples.Options;
import dev.kiln.samples.Result;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains {@link BalancedBrackets} on strings it generates, and evaluates it on strings it never trained on.
 *
 * <p>A string holds 1 to {@value #MAX_PAIRS} pairs of brackets and up to {@value #MAX_LENGTH} characters in all, the
 * rest letters {@code a-d} at random places, which the model must learn to ignore. The strings come in pairs: a
 * balanced string (every prefix opens at least as many brackets as it closes, and the whole opens as many as it
 * closes), and its near miss, the same string with one {@code (} swapped with a later {@code )} so that some prefix
 * closes more than it opens. Both strings of a pair hold the same characters, so the data give a model that sees which
 * characters a string holds but not their order (a bag of words, an average of embeddings) nothing to go on: it is
 * right on half of them. Counting is not enough either: every string opens as many brackets as it closes.
 *
 * <p>{@value #TRAINING_PAIRS} pairs train; {@value #TEST_PAIRS} other pairs, none of whose strings occurs in the
 * training data, are held out.
 */
public final class BracketsSample {
    /** Token {@code i} is {@code TOKENS.charAt(i)}; token 0, the padding, is no character. */
    public static final String TOKENS = "\0()abcd";
    /** {@code TOKENS.length()}, as a constant the model's annotations can use. */
    public static final int VOCABULARY = 7;
    public static final int MAX_LENGTH = 24;
    public static final int MAX_PAIRS = 8;
    public static final int EPOCHS = 4;
    public static final int BATCH_SIZE = 32;
    public static final double LEARNING_RATE = 5e-3;
    static final int TRAINING_PAIRS = 4_000;
    static final int TEST_PAIRS = 1_000;
    private static final String LETTERS = "abcd";

    private BracketsSample() {
    }

    /** The strings to train on and the held-out ones, in pairs as {@link #pairs} gives them. */
    public record Strings(List<String> train, List<String> test) {
    }

    public static Result run(Options options) {
        Strings strings = strings(options.seed());
        List<String> test = strings.test();
        BalancedBracketsModel model = BalancedBracketsModel.create(options.seed());
        if (!options.quiet()) {
            options.out().println(model.summary());
        }
        model.compile(new Adam(LEARNING_RATE));
        History history = model.fit(dataset(strings.train()), options.fit(EPOCHS, BATCH_SIZE));
        Result result = Result.of("brackets", model, history, model.evaluate(dataset(test)));
        if (!options.quiet()) {
            INDArray p = model.predict(encode(test.subList(0, 8)));
            for (int i = 0; i < 8; i++) {
                options.out().printf(Locale.ROOT, "%-" + MAX_LENGTH + "s  balanced: %-3s  model: %.3f%n",
                        test.get(i), balanced(test.get(i)) ? "yes" : "no", p.getDouble(i, 0));
            }
        }
        return result;
    }

    /** {@value #TRAINING_PAIRS} pairs to train on, then {@value #TEST_PAIRS} held-out ones, drawn from {@code seed}. */
    public static Strings strings(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> train = pairs(TRAINING_PAIRS, random, Set.of());
        return new Strings(train, pairs(TEST_PAIRS, random, new HashSet<>(train)));
    }

    /**
     * {@code n} pairs of strings, each a balanced string followed by its near miss, none of them in {@code exclude}.
     */
    public static List<String> pairs(int n, SplittableRandom random, Set<String> exclude) {
        List<String> strings = new ArrayList<>(2 * n);
        while (strings.size() < 2 * n) {
            String good = balancedString(random);
            String bad = nearMiss(good, random);
            if (!exclude.contains(good) && !exclude.contains(bad)) {
                strings.add(good);
                strings.add(bad);
            }
        }
        return strings;
    }

    /**
     * A balanced string of 1 to {@value #MAX_PAIRS} pairs: at each place a closing bracket when every opened one must
     * still close, an opening one when none is open, either with even odds otherwise; then letters at random places,
     * up to {@value #MAX_LENGTH} characters in all.
     */
    static String balancedString(SplittableRandom random) {
        int pairs = 1 + random.nextInt(MAX_PAIRS);
        StringBuilder s = new StringBuilder(MAX_LENGTH);
        int opened = 0;
        int depth = 0;
        for (int i = 0; i < 2 * pairs; i++) {
            boolean open = opened < pairs && (depth == 0 || random.nextBoolean());
            s.append(open ? '(' : ')');
            opened += open ? 1 : 0;
            depth += open ? 1 : -1;
        }
        int letters = random.nextInt(MAX_LENGTH - 2 * pairs + 1);
        for (int i = 0; i < letters; i++) {
            s.insert(random.nextInt(s.length() + 1), LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        return s.toString();
    }

    /**
     * {@code balanced} with one of its {@code (} swapped with a {@code )} after it, drawn until the result is not
     * balanced (swapping the first {@code (} with any later {@code )} always does it, so a draw soon succeeds).
     */
    static String nearMiss(String balanced, SplittableRandom random) {
        char[] s = balanced.toCharArray();
        while (true) {
            int open = randomPlaceOf('(', s, 0, random);
            int close = randomPlaceOf(')', s, open + 1, random);
            s[open] = ')';
            s[close] = '(';
            String swapped = new String(s);
            if (!balanced(swapped)) {
                return swapped;
            }
            s[open] = '(';
            s[close] = ')';
        }
    }

    /** A random place of {@code c} in {@code s} at or after {@code from}; {@code s} has one there. */
    private static int randomPlaceOf(char c, char[] s, int from, SplittableRandom random) {
        int count = 0;
        for (int i = from; i < s.length; i++) {
            count += s[i] == c ? 1 : 0;
        }
        int k = random.nextInt(count);
        for (int i = from; ; i++) {
            if (s[i] == c && k-- == 0) {
                return i;
            }
        }
    }

    /** True when no prefix of {@code s} closes more brackets than it opens and {@code s} closes all it opens. */
    public static boolean balanced(String s) {
        int depth = 0;
        for (int i = 0; i < s.length() && depth >= 0; i++) {
            depth += s.charAt(i) == '(' ? 1 : s.charAt(i) == ')' ? -1 : 0;
        }
        return depth == 0;
    }

    /** The strings as token ids, {@code (n, MAX_LENGTH)}, padded with 0 after each string. */
    public static INDArray encode(List<String> strings) {
        int[] ids = new int[strings.size() * MAX_LENGTH];
        for (int i = 0; i < strings.size(); i++) {
            String s = strings.get(i);
            if (s.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("string " + i + ", \"" + s + "\", has " + s.length()
                        + " characters; the model reads at most " + MAX_LENGTH);
            }
            for (int t = 0; t < s.length(); t++) {
                int id = TOKENS.indexOf(s.charAt(t));
                if (id <= 0) {
                    throw new IllegalArgumentException("string " + i + ", \"" + s + "\", holds '" + s.charAt(t)
                            + "' at " + t + "; the model reads only the characters " + TOKENS.substring(1));
                }
                ids[i * MAX_LENGTH + t] = id;
            }
        }
        return Nd4j.createFromArray(ids).reshape(strings.size(), MAX_LENGTH);
    }

    /** The strings and whether each is balanced, 1 or 0. */
    public static Dataset dataset(List<String> strings) {
        float[] labels = new float[strings.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = balanced(strings.get(i)) ? 1 : 0;
        }
        return Dataset.of(encode(strings), Nd4j.create(labels, new long[] {labels.length, 1}, DataType.FLOAT));
    }
}
