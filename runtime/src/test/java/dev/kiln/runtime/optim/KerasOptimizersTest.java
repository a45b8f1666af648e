package dev.kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Optimizers to Keras's {@code get_config()} dicts and back, and Keras's own dicts read as Keras wrote them. */
class KerasOptimizersTest {
    @Test
    void everyOptimizerRoundTripsThroughItsKerasConfig() {
        List<Optimizer> all = List.of(new Adam(3e-4).beta1(0.5).amsgrad(true).clipnorm(1.0),
                new AdamW(1e-3).weightDecay(0.01), new Adamax(2e-3).epsilon(1e-6), new Nadam().beta2(0.99),
                new SGD(0.1).momentum(0.9).nesterov(true).clipvalue(0.5), new RMSprop(1e-3).rho(0.8).centered(true),
                new Adagrad(0.05).initialAccumulatorValue(0.2), new Adadelta(1.0).rho(0.9).globalClipnorm(2.0),
                new Adam(new ExponentialDecay(1e-3, 1000, 0.96, true)));
        for (Optimizer o : all) {
            Optimizer back = KerasOptimizers.fromConfig(o.kerasClassName(), o.kerasConfig());
            assertEquals(o.config(), back.config());
            assertEquals(o.getClass(), back.getClass());
        }
    }

    /** Keras 3.x {@code keras.optimizers.Adam(learning_rate=0.01).get_config()}, keys and values as Keras writes them. */
    @Test
    void readsKerasOwnAdamConfig() {
        Map<String, Object> keras = new LinkedHashMap<>();
        keras.put("name", "adam");
        keras.put("learning_rate", 0.01);
        keras.put("weight_decay", null);
        keras.put("clipnorm", null);
        keras.put("global_clipnorm", null);
        keras.put("clipvalue", null);
        keras.put("use_ema", false);
        keras.put("ema_momentum", 0.99);
        keras.put("ema_overwrite_frequency", null);
        keras.put("loss_scale_factor", null);
        keras.put("gradient_accumulation_steps", null);
        keras.put("beta_1", 0.9);
        keras.put("beta_2", 0.999);
        keras.put("epsilon", 1e-07);
        keras.put("amsgrad", false);
        Map<String, Object> serialized = new HashMap<>();
        serialized.put("module", "keras.optimizers");
        serialized.put("class_name", "Adam");
        serialized.put("config", keras);
        serialized.put("registered_name", null);
        assertEquals(new Adam(0.01).config(), KerasOptimizers.fromSerialized(serialized).config());
    }

    @Test
    void whatKilnDoesNotHaveIsRefusedByName() {
        Map<String, Object> ema = new HashMap<>(Map.of("learning_rate", 0.001, "use_ema", true));
        assertEquals("Adam: use_ema = true is not supported (Kiln keeps no moving average of the weights)",
                assertThrows(IllegalArgumentException.class, () -> KerasOptimizers.fromConfig("Adam", ema))
                        .getMessage());
        Map<String, Object> unknown = new HashMap<>(Map.of("learning_rate", 0.001, "momentun", 0.9));
        assertEquals("SGD: unknown config key 'momentun' (Kiln reads [momentum, nesterov] besides the keys every"
                        + " optimizer has)",
                assertThrows(IllegalArgumentException.class, () -> KerasOptimizers.fromConfig("SGD", unknown))
                        .getMessage());
        assertEquals("Kiln has no optimizer 'Lion'; it has Adam, AdamW, Adamax, Nadam, SGD, RMSprop, Adagrad and"
                        + " Adadelta",
                assertThrows(IllegalArgumentException.class, () -> KerasOptimizers.fromConfig("Lion",
                        Map.of("learning_rate", 0.001))).getMessage());
        Map<String, Object> custom = new HashMap<>(Map.of("module", "my.optimizers", "class_name", "Adam",
                "config", Map.of()));
        assertEquals("optimizer Adam comes from module 'my.optimizers'; Kiln builds only Keras's own optimizers"
                + " (module keras.optimizers)", assertThrows(IllegalArgumentException.class,
                        () -> KerasOptimizers.fromSerialized(custom)).getMessage());
    }
}
