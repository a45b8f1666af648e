package dev.kiln.runtime.layer;

import dev.kiln.dsl.Activation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a Keras layer's {@code get_config()} becomes the annotation that declares the same layer in Kiln's DSL: what
 * {@code kiln convert} writes for it. Each layer's mapping is a nested class of its config record (e.g.
 * {@code DenseConfig.Keras}), registered with {@code @AutoService(KerasMapping.class)}: a new layer adds its mapping in
 * its own file, and no shared switch or list is edited. A Keras class that no mapping names is refused by the converter
 * as "Kiln cannot convert {@code <class_name>} yet".
 *
 * <p>A mapping spells out every attribute whose Keras value differs from the annotation's default, and refuses (with
 * {@link Layer#unsupported}) any setting Kiln cannot express, never substituting a near thing.
 */
public interface KerasMapping {
    /** The config whose layers this maps. */
    Class<? extends LayerConfig> configType();

    /** The Keras {@code class_name}s this mapping converts ({@code Dense}; {@code Conv1D} and {@code Conv2D}). */
    List<String> kerasClassNames();

    /**
     * The annotation that declares {@code layer}, e.g. {@code @Dense(units = 8, activation = Activation.RELU)}, with
     * the types it names added to {@link Layer#imports()}.
     *
     * @throws IllegalArgumentException the layer has a setting Kiln cannot express, or lacks one Keras always writes
     */
    String annotation(Layer layer);

    /**
     * The layer's states in Keras's order, by their Kiln names (an LSTM's {@code h} and {@code c}): its inputs after
     * the first feed them ({@code initial_state}, marked {@code @InitialState}), and with {@code return_state} they
     * are its outputs after the first, which become {@code @Part} nodes. None by default.
     */
    default List<String> states() {
        return List.of();
    }

    /** The mappings on the class path, by Keras class name. */
    static Map<String, KerasMapping> byKerasClassName() {
        Map<String, KerasMapping> out = new HashMap<>();
        for (KerasMapping m : ServiceLoader.load(KerasMapping.class, KerasMapping.class.getClassLoader())) {
            for (String c : m.kerasClassNames()) {
                KerasMapping before = out.putIfAbsent(c, m);
                if (before != null) {
                    throw new IllegalStateException("two Keras mappings for " + c + ": " + before.getClass().getName()
                            + " and " + m.getClass().getName());
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * One Keras layer being converted: its name, class and {@code get_config()} entries to read, and the annotation's
     * attributes and imports as they are written.
     */
    final class Layer {
        private final String name;
        private final String className;
        private final Map<String, Object> config;
        private final List<String> attributes = new ArrayList<>();
        private final Set<String> imports = new TreeSet<>();
        private final List<?> inputShape;

        public Layer(String name, String className, Map<String, Object> config) {
            this(name, className, config, null);
        }

        /**
         * A layer whose input shape the file states ({@code build_config}'s {@code input_shape} in Keras 3, batch axis
         * first), or null where it states none (Keras 2's configs).
         */
        public Layer(String name, String className, Map<String, Object> config, List<?> inputShape) {
            this.name = name;
            this.className = className;
            this.config = config;
            this.inputShape = inputShape;
        }

        public String name() {
            return name;
        }

        public String className() {
            return className;
        }

        public Map<String, Object> config() {
            return config;
        }

        /** The qualified names of the types the annotation uses. */
        public Set<String> imports() {
            return Collections.unmodifiableSet(imports);
        }

        /** An error saying that this layer has {@code what}, which Kiln cannot express. */
        public IllegalArgumentException unsupported(String what) {
            return new IllegalArgumentException("layer '" + name + "' (" + className + ") has " + what
                    + ", which Kiln cannot express");
        }

        /** The whole number Keras wrote under {@code key}, which it always writes. */
        public long integer(String key) {
            if (!(config.get(key) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("layer '" + name + "' (" + className + ") has no integer " + key);
            }
            return n.longValue();
        }

        /** The number Keras wrote under {@code key}, which it always writes. */
        public double number(String key) {
            if (!(config.get(key) instanceof Number n)) {
                throw new IllegalArgumentException("layer '" + name + "' (" + className + ") has no " + key);
            }
            return n.doubleValue();
        }

        /** Adds {@code attribute = source}. */
        public Layer set(String attribute, String source) {
            attributes.add(attribute + " = " + source);
            return this;
        }

        /** Adds {@code attribute = <integer key>}: a setting without default. */
        public Layer integer(String key, String attribute) {
            return set(attribute, Long.toString(integer(key)));
        }

        /** Adds {@code attribute = <integer key>} when Keras's whole number differs from the annotation's default. */
        public Layer integer(String key, String attribute, long annotationDefault) {
            if (config.get(key) != null && integer(key) != annotationDefault) {
                set(attribute, Long.toString(integer(key)));
            }
            return this;
        }

        /** Adds {@code attribute = <key>} when Keras's boolean differs from the annotation's default. */
        public Layer bool(String key, String attribute, boolean annotationDefault) {
            if (config.get(key) instanceof Boolean b && b != annotationDefault) {
                set(attribute, Boolean.toString(b));
            }
            return this;
        }

        /** Adds {@code attribute = <key>} when Keras wrote a rate other than 0 under {@code key}. */
        public Layer rate(String key, String attribute) {
            if (config.get(key) instanceof Number n && n.doubleValue() != 0) {
                set(attribute, Double.toString(n.doubleValue()));
            }
            return this;
        }

        /** Refuses the layer when Keras's boolean {@code key} is {@code refused}. */
        public Layer refuse(String key, boolean refused, String why) {
            if (config.get(key) instanceof Boolean b && b == refused) {
                throw unsupported(key + " = " + (refused ? "True" : "False") + (why.isEmpty() ? "" : " (" + why + ")"));
            }
            return this;
        }

        /** Adds {@code trainable = false} for a frozen layer (Keras's {@code trainable: false}). */
        public Layer trainable() {
            return bool("trainable", "trainable", true);
        }

        /** Adds {@code attribute = Activation.X} when Keras's activation differs from {@code annotationDefault}. */
        public Layer activation(String key, String attribute, Activation annotationDefault) {
            Object v = config.get(key);
            if (v != null && !annotationDefault.name().toLowerCase(Locale.ROOT).equals(v)) {
                set(attribute, activation(key));
            }
            return this;
        }

        /** {@code Activation.X} for the activation Keras wrote under {@code key}. */
        public String activation(String key) {
            Object v = config.get(key);
            String constant = v instanceof String s ? s.toUpperCase(Locale.ROOT) : null;
            try {
                Activation.valueOf(constant == null ? "" : constant);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer '" + name + "' (" + className + ") has " + key + " "
                        + describe(v) + ", which Kiln does not have");
            }
            imports.add(Activation.class.getName());
            return "Activation." + constant;
        }

        /**
         * Adds {@code attribute = {a, b}} (or {@code a} when all are equal) from Keras's tuple or number under
         * {@code key}, when it differs from {@code annotationDefault} (one value per axis, or one for all).
         */
        public Layer ints(String key, String attribute, List<Integer> annotationDefault) {
            List<Integer> values = ints(key);
            if (values == null) {
                throw new IllegalArgumentException("layer '" + name + "' (" + className + ") has no integer tuple "
                        + key);
            }
            boolean allSame = values.stream().distinct().count() <= 1;
            List<Integer> written = allSame && !values.isEmpty() ? List.of(values.get(0)) : values;
            if (!written.equals(annotationDefault)) {
                set(attribute, written.size() == 1 ? Integer.toString(written.get(0))
                        : written.toString().replace('[', '{').replace(']', '}'));
            }
            return this;
        }

        /** Keras's tuple or number under {@code key} as integers; null when it is neither. */
        public List<Integer> ints(String key) {
            Object v = config.get(key);
            List<Integer> out = new ArrayList<>();
            if (v instanceof Number n && n.doubleValue() == n.intValue()) {
                out.add(n.intValue());
                return out;
            }
            if (!(v instanceof List<?> l)) {
                return null;
            }
            for (Object o : l) {
                if (!(o instanceof Number n) || n.doubleValue() != n.intValue()) {
                    return null;
                }
                out.add(n.intValue());
            }
            return out;
        }

        /** Adds {@code attribute = Type.X} for Keras's lower-case name under {@code key}, when not the default. */
        public <E extends Enum<E>> Layer constant(String key, String attribute, Class<E> type, E annotationDefault) {
            Object v = config.get(key);
            if (v == null) {
                return this;
            }
            E value;
            try {
                value = Enum.valueOf(type, v instanceof String s ? s.toUpperCase(Locale.ROOT) : "");
            } catch (IllegalArgumentException e) {
                throw unsupported(key + " " + describe(v));
            }
            if (value != annotationDefault) {
                imports.add(type.getName());
                set(attribute, type.getSimpleName() + "." + value.name());
            }
            return this;
        }

        /** Refuses a layer whose {@code data_format} is not channels_last, the only layout Kiln has. */
        public Layer channelsLast() {
            Object v = config.get("data_format");
            if (v != null && !"channels_last".equals(v)) {
                throw unsupported("data_format " + describe(v) + " (Kiln's layers are channels_last)");
            }
            return this;
        }

        /**
         * The settings of Keras's recurrent layers: {@code returnSequences}, {@code goBackwards},
         * {@code returnState} (its states become {@code @Part} nodes where the model reads them) and
         * {@code trainable}; {@code stateful} is refused.
         */
        public Layer recurrent() {
            bool("return_sequences", "returnSequences", false).bool("go_backwards", "goBackwards", false);
            bool("return_state", "returnState", false);
            rate("dropout", "dropout").rate("recurrent_dropout", "recurrentDropout");
            refuse("stateful", true, "");
            return trainable();
        }

        /** Adds {@code attribute = <number>} when Keras wrote a number under {@code key} other than the default. */
        public Layer number(String key, String attribute, double annotationDefault) {
            Object v = config.get(key);
            if (v != null && !(v instanceof Number)) {
                throw unsupported(key + " " + describe(v));
            }
            if (v instanceof Number n && n.doubleValue() != annotationDefault) {
                set(attribute, Double.toString(n.doubleValue()));
            }
            return this;
        }

        /**
         * Adds {@code attribute = {a, b, ...}} (a lone value bare) from Keras's tuple under {@code key}, value for
         * value: a shape or a permutation, where one value does not stand for all.
         */
        public Layer exactInts(String key, String attribute) {
            List<Integer> values = ints(key);
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException("layer '" + name + "' (" + className + ") has no integer tuple "
                        + key);
            }
            return set(attribute, values.size() == 1 ? Integer.toString(values.get(0))
                    : values.toString().replace('[', '{').replace(']', '}'));
        }

        /**
         * Adds {@code attribute} for the four sides of Keras's {@code ((top, bottom), (left, right))} under {@code key}
         * (or one number for all), written as Kiln's one value, {@code {rows, columns}} or {@code {top, bottom, left,
         * right}}, when not {@code annotationDefault} on every side.
         */
        public Layer sides(String key, String attribute, int annotationDefault) {
            Object v = config.get(key);
            List<Integer> sides = new ArrayList<>();
            if (v instanceof Number) {
                int n = (int) integer(key);
                sides.addAll(List.of(n, n, n, n));
            } else if (v instanceof List<?> pair && pair.size() == 2) {
                for (Object axis : pair) {
                    List<Integer> two = axis instanceof Number n ? List.of(n.intValue(), n.intValue())
                            : axis instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number a
                                    && l.get(1) instanceof Number b ? List.of(a.intValue(), b.intValue()) : null;
                    if (two == null) {
                        throw unsupported(key + " " + describe(v));
                    }
                    sides.addAll(two);
                }
            } else {
                throw new IllegalArgumentException("layer '" + name + "' (" + className + ") has no " + key);
            }
            String written;
            if (sides.stream().distinct().count() == 1) {
                if (sides.get(0) == annotationDefault) {
                    return this;
                }
                written = Integer.toString(sides.get(0));
            } else if (sides.get(0).equals(sides.get(1)) && sides.get(2).equals(sides.get(3))) {
                written = "{" + sides.get(0) + ", " + sides.get(2) + "}";
            } else {
                written = sides.toString().replace('[', '{').replace(']', '}');
            }
            return set(attribute, written);
        }

        /**
         * Refuses the layer unless {@code key} names the last axis, the only one Kiln's normalizations work on: -1,
         * or (Keras 2 writes the axis counted from the batch, often as a one-element list) the last axis of the input
         * shape where the file states it. Where it does not, a non-negative axis is taken as written, and
         * {@code KerasFiles.loadWeights} checks it against the model's shapes.
         */
        public Layer lastAxis(String key) {
            Object v = config.get(key);
            List<Integer> axes = ints(key);
            if (v == null) {
                return this;
            }
            if (axes == null || axes.size() != 1) {
                throw unsupported(key + " " + describe(v) + " (Kiln normalizes over the last axis alone)");
            }
            int axis = axes.get(0);
            boolean last = axis == -1 || inputShape != null && axis == inputShape.size() - 1
                    || inputShape == null && axis > 0;
            if (!last) {
                throw unsupported(key + " " + describe(v) + " (Kiln normalizes over the last axis alone)");
            }
            return this;
        }

        /**
         * The annotation of the layer a wrapper holds under {@code key} (Keras's serialized {@code {"class_name",
         * "config"}}), written by that class's mapping, its imports added to this layer's; frozen when the wrapper is
         * ({@code trainable: false}). Only the classes in {@code allowed} are taken.
         */
        public String wrapped(String key, List<String> allowed) {
            if (!(config.get(key) instanceof Map<?, ?> inner) || !(inner.get("class_name") instanceof String cls)
                    || !(inner.get("config") instanceof Map<?, ?> innerConfig)) {
                throw new IllegalArgumentException("layer '" + name + "' (" + className + ") wraps no layer (" + key
                        + ")");
            }
            if (!allowed.contains(cls)) {
                throw unsupported("a wrapped " + cls + " (Kiln's " + className + " wraps " + String.join(", ", allowed)
                        + ")");
            }
            KerasMapping mapping = byKerasClassName().get(cls);
            Map<String, Object> c = new LinkedHashMap<>();
            innerConfig.forEach((k, val) -> c.put(String.valueOf(k), val));
            if (Boolean.FALSE.equals(config.get("trainable"))) {
                c.put("trainable", false);
            }
            Object innerName = c.get("name");
            Layer layer = new Layer(name + "/" + (innerName instanceof String s ? s : key), cls, c);
            String annotation = mapping.annotation(layer);
            imports.addAll(layer.imports);
            return annotation;
        }

        /**
         * The annotation {@code @simpleName(attributes...)} of {@code dev.kiln.dsl}, its import added; a lone
         * {@code value} is written bare, {@code @ActivationLayer(Activation.RELU)}.
         */
        public String annotation(String simpleName) {
            imports.add("dev.kiln.dsl." + simpleName);
            if (attributes.size() == 1 && attributes.get(0).startsWith("value = ")) {
                return "@" + simpleName + "(" + attributes.get(0).substring("value = ".length()) + ")";
            }
            return "@" + simpleName + (attributes.isEmpty() ? "" : "(" + String.join(", ", attributes) + ")");
        }

        private static String describe(Object v) {
            return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
        }
    }
}
