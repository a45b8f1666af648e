package dev.kiln.keras;

import java.util.Locale;
import java.util.regex.Pattern;

/** Keras's names for things in its files. */
final class KerasNaming {
    private static final Pattern NON_WORD = Pattern.compile("\\W+");
    private static final Pattern WORD_START = Pattern.compile("(.)([A-Z][a-z]+)");
    private static final Pattern CASE_CHANGE = Pattern.compile("([a-z])([A-Z])");

    private KerasNaming() {
    }

    /**
     * Keras's {@code naming.to_snake_case}: the group a Keras 3 weights file gives a layer of this class
     * ({@code Dense} {@code dense}, {@code SimpleRNN} {@code simple_rnn}, {@code MaxPooling2D} {@code max_pooling2d},
     * {@code LeakyReLU} {@code leaky_re_lu}).
     */
    static String snakeCase(String className) {
        String name = NON_WORD.matcher(className).replaceAll("");
        name = WORD_START.matcher(name).replaceAll("$1_$2");
        name = CASE_CHANGE.matcher(name).replaceAll("$1_$2");
        return name.toLowerCase(Locale.ROOT);
    }

    /** A Keras layer name made a Java identifier, as the converter and name matching spell it ({@code dense_1}). */
    static String javaIdentifier(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(b.length() == 0 ? (Character.isJavaIdentifierStart(c) ? c : (Character.isJavaIdentifierPart(c)
                    ? "_" + c : "_")) : (Character.isJavaIdentifierPart(c) ? c : '_'));
        }
        String s = b.length() == 0 ? "_layer" : b.toString();
        return javax.lang.model.SourceVersion.isKeyword(s) || s.equals("_") ? s + "_" : s;
    }
}
