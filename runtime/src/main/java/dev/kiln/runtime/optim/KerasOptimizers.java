package dev.kiln.runtime.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Optimizers from Keras's configs: {@code optimizer.get_config()} dicts, or the serialized form a {@code .keras}
 * archive's {@code compile_config} holds ({@code {"module": "keras.optimizers", "class_name": "Adam", "config":
 * {...}}}), as parsed JSON (maps, lists, numbers, booleans, null). Every key Keras writes is read or refused by name:
 * a setting Kiln does not have ({@code use_ema}, gradient accumulation, a loss scale) is an error, never ignored.
 * {@link Optimizer#kerasConfig()} writes the dict back.
 */
public final class KerasOptimizers {
    /** Keys every Keras 3 optimizer writes that change nothing here when at their defaults. */
    private static final Set<String> BASE = Set.of("name", "learning_rate", "weight_decay", "clipnorm",
            "global_clipnorm", "clipvalue", "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor",
            "gradient_accumulation_steps");

    private KerasOptimizers() {
    }

    /** From the serialized form: {@code class_name} and {@code config}, as {@code compile_config.optimizer} holds. */
    public static Optimizer fromSerialized(Map<String, Object> serialized) {
        if (serialized == null || !(serialized.get("class_name") instanceof String className)
                || !(serialized.get("config") instanceof Map<?, ?> config)) {
            throw new IllegalArgumentException("a serialized Keras optimizer needs 'class_name' and 'config', got "
                    + serialized);
        }
        Object module = serialized.get("module");
        if (module != null && !module.equals("keras.optimizers")) {
            throw new IllegalArgumentException("optimizer " + className + " comes from module '" + module + "';"
                    + " Kiln builds only Keras's own optimizers (module keras.optimizers)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) config;
        return fromConfig(className, c);
    }

    /** Optimizer {@code className} ({@code Adam}, {@code SGD}, ...) from its {@code get_config()} dict. */
    public static Optimizer fromConfig(String className, Map<String, Object> config) {
        Reader r = new Reader(className, config);
        Object lr = config.get("learning_rate");
        KerasOptimizer<?> o = switch (className) {
            case "Adam" -> r.adamLike(lr instanceof Map<?, ?> ? new Adam(r.schedule(lr)) : new Adam(r.rate(lr)))
                    .amsgrad(r.bool("amsgrad", false));
            case "AdamW" -> r.adamLike(lr instanceof Map<?, ?> ? new AdamW(r.schedule(lr)) : new AdamW(r.rate(lr)))
                    .amsgrad(r.bool("amsgrad", false));
            case "Adamax" -> r.moments(lr instanceof Map<?, ?> ? new Adamax(r.schedule(lr)) : new Adamax(r.rate(lr)));
            case "Nadam" -> r.moments(lr instanceof Map<?, ?> ? new Nadam(r.schedule(lr)) : new Nadam(r.rate(lr)));
            case "SGD" -> (lr instanceof Map<?, ?> ? new SGD(r.schedule(lr)) : new SGD(r.rate(lr)))
                    .momentum(r.number("momentum", 0.0)).nesterov(r.bool("nesterov", false));
            case "RMSprop" -> (lr instanceof Map<?, ?> ? new RMSprop(r.schedule(lr)) : new RMSprop(r.rate(lr)))
                    .rho(r.number("rho", 0.9)).momentum(r.number("momentum", 0.0))
                    .epsilon(r.number("epsilon", 1e-7)).centered(r.bool("centered", false));
            case "Adagrad" -> (lr instanceof Map<?, ?> ? new Adagrad(r.schedule(lr)) : new Adagrad(r.rate(lr)))
                    .initialAccumulatorValue(r.number("initial_accumulator_value", 0.1))
                    .epsilon(r.number("epsilon", 1e-7));
            case "Adadelta" -> (lr instanceof Map<?, ?> ? new Adadelta(r.schedule(lr)) : new Adadelta(r.rate(lr)))
                    .rho(r.number("rho", 0.95)).epsilon(r.number("epsilon", 1e-7));
            default -> throw new IllegalArgumentException("Kiln has no optimizer '" + className + "'; it has Adam,"
                    + " AdamW, Adamax, Nadam, SGD, RMSprop, Adagrad and Adadelta");
        };
        r.base(o);
        r.refuseUnknown(switch (className) {
            case "Adam", "AdamW" -> List.of("beta_1", "beta_2", "epsilon", "amsgrad");
            case "Adamax", "Nadam" -> List.of("beta_1", "beta_2", "epsilon");
            case "SGD" -> List.of("momentum", "nesterov");
            case "RMSprop" -> List.of("rho", "momentum", "epsilon", "centered");
            case "Adagrad" -> List.of("initial_accumulator_value", "epsilon");
            default -> List.of("rho", "epsilon");
        });
        return o;
    }

    /** {@code ExponentialDecay} as Keras serializes a schedule inside an optimizer's config. */
    static Map<String, Object> serialized(ExponentialDecay d) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("initial_learning_rate", d.initialLearningRate());
        config.put("decay_steps", d.decaySteps());
        config.put("decay_rate", d.decayRate());
        config.put("staircase", d.staircase());
        config.put("name", "ExponentialDecay");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("module", "keras.optimizers.schedules");
        out.put("class_name", "ExponentialDecay");
        out.put("config", config);
        out.put("registered_name", null);
        return out;
    }

    /** Reads one optimizer's config, naming the optimizer and the key in every error. */
    private static final class Reader {
        private final String className;
        private final Map<String, Object> config;

        Reader(String className, Map<String, Object> config) {
            if (config == null) {
                throw new IllegalArgumentException(className + ": the config is null");
            }
            this.className = className;
            this.config = config;
        }

        double rate(Object value) {
            if (value == null) {
                return number("learning_rate", 0.001);
            }
            return number("learning_rate", Double.NaN);
        }

        LearningRateSchedule schedule(Object value) {
            Map<?, ?> s = (Map<?, ?>) value;
            if (!"ExponentialDecay".equals(s.get("class_name")) || !(s.get("config") instanceof Map<?, ?> c)) {
                throw new IllegalArgumentException(className + ": learning_rate is the schedule "
                        + s.get("class_name") + "; Kiln reads ExponentialDecay (or a number)");
            }
            return new ExponentialDecay(((Number) c.get("initial_learning_rate")).doubleValue(),
                    ((Number) c.get("decay_steps")).longValue(), ((Number) c.get("decay_rate")).doubleValue(),
                    Boolean.TRUE.equals(c.get("staircase")));
        }

        <T extends MomentsOptimizer<T>> T moments(T o) {
            return o.beta1(number("beta_1", 0.9)).beta2(number("beta_2", 0.999)).epsilon(number("epsilon", 1e-7));
        }

        <T extends AdamBase<T>> T adamLike(T o) {
            return moments(o);
        }

        void base(KerasOptimizer<?> o) {
            Double decay = optional("weight_decay");
            if (decay != null && !(className.equals("AdamW") && decay == 0.004)) {
                o.weightDecay(decay);
            }
            Double clipnorm = optional("clipnorm");
            if (clipnorm != null) {
                o.clipnorm(clipnorm);
            }
            Double global = optional("global_clipnorm");
            if (global != null) {
                o.globalClipnorm(global);
            }
            Double clipvalue = optional("clipvalue");
            if (clipvalue != null) {
                o.clipvalue(clipvalue);
            }
            if (bool("use_ema", false)) {
                refuse("use_ema", "Kiln keeps no moving average of the weights");
            }
            if (config.get("loss_scale_factor") != null) {
                refuse("loss_scale_factor", "Kiln does not scale the loss");
            }
            if (config.get("gradient_accumulation_steps") != null) {
                refuse("gradient_accumulation_steps", "Kiln applies every step's gradients");
            }
        }

        void refuseUnknown(List<String> own) {
            for (String key : config.keySet()) {
                if (!BASE.contains(key) && !own.contains(key)) {
                    throw new IllegalArgumentException(className + ": unknown config key '" + key + "' (Kiln reads "
                            + own + " besides the keys every optimizer has)");
                }
            }
        }

        double number(String key, double absent) {
            Object v = config.get(key);
            if (v == null && !Double.isNaN(absent)) {
                return absent;
            }
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException(className + ": '" + key + "' must be a number, got " + v);
            }
            return n.doubleValue();
        }

        Double optional(String key) {
            Object v = config.get(key);
            if (v == null) {
                return null;
            }
            return number(key, Double.NaN);
        }

        boolean bool(String key, boolean absent) {
            Object v = config.get(key);
            if (v == null) {
                return absent;
            }
            if (!(v instanceof Boolean b)) {
                throw new IllegalArgumentException(className + ": '" + key + "' must be true or false, got " + v);
            }
            return b;
        }

        private void refuse(String key, String why) {
            throw new IllegalArgumentException(className + ": " + key + " = " + config.get(key) + " is not supported ("
                    + why + ")");
        }
    }
}
