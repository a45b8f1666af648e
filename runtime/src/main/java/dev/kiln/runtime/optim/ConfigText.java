package dev.kiln.runtime.optim;

import java.math.BigDecimal;
import java.util.StringJoiner;

/**
 * Builds an optimizer's or schedule's config as Keras prints a call: {@code Adam(learning_rate=0.001, ...,
 * epsilon=1e-07, amsgrad=False)}, with Keras's snake_case names and Python's spelling of numbers, booleans and None.
 */
final class ConfigText {
    private final StringJoiner fields;
    /** The same arguments as values, Keras's {@code get_config()} dict ({@code null} for None). */
    private final java.util.Map<String, Object> values = new java.util.LinkedHashMap<>();

    ConfigText(String name) {
        this.fields = new StringJoiner(", ", name + "(", ")");
    }

    ConfigText add(String key, String value) {
        fields.add(key + "=" + value);
        values.putIfAbsent(key, value);
        return this;
    }

    /** {@code key} shown as {@code text}, with {@code value} in the dict. */
    ConfigText add(String key, String text, Object value) {
        fields.add(key + "=" + text);
        values.put(key, value);
        return this;
    }

    ConfigText add(String key, double value) {
        return add(key, python(value), value);
    }

    ConfigText add(String key, long value) {
        return add(key, Long.toString(value), value);
    }

    ConfigText add(String key, boolean value) {
        return add(key, value ? "True" : "False", value);
    }

    /** A Keras argument that may be unset ({@code None}). */
    ConfigText addOptional(String key, Double value) {
        return add(key, value == null ? "None" : python(value), value);
    }

    /** The arguments as Keras's {@code get_config()} dict: numbers, booleans, nested dicts, {@code null} for None. */
    java.util.Map<String, Object> values() {
        return values;
    }

    @Override
    public String toString() {
        return fields.toString();
    }

    /** Python's {@code repr} of a float: {@code 0.001}, {@code 1e-07}, {@code 0.9}, {@code 1.0}, {@code 1e+16}. */
    static String python(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return 1 / value > 0 ? "0.0" : "-0.0";
        }
        BigDecimal d = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = d.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = d.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String sign = value < 0 ? "-" : "";
        return sign + mantissa + (exponent < 0 ? "e-" : "e+") + String.format("%02d", Math.abs(exponent));
    }
}
