package dev.kiln.spark;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.optim.Optimizer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The model instances of an executor: one per thread (Spark runs a partition's task in one thread at a time) and model
 * class, made once through the generated class's {@code create(long, DataType)} and kept for later tasks, so that a
 * warm task allocates no model. Each task overwrites the instance's weights (and optimizer state) from the round's
 * broadcast before using it, so what a thread ran before can never leak into a result: a retried task computes what
 * the first attempt would have.
 */
final class WorkerModels {

    private static final ThreadLocal<Map<String, KilnModel>> MODELS = ThreadLocal.withInitial(HashMap::new);
    /** Which broadcast's weights each of this thread's models holds (for scoring, which reuses them across tasks). */
    private static final ThreadLocal<Map<KilnModel, Long>> LOADED = ThreadLocal.withInitial(HashMap::new);

    private WorkerModels() {
    }

    /**
     * This thread's instance of {@code modelClass} in {@code dtype}, made on first use, for a task that overwrites its
     * weights.
     */
    static KilnModel of(Class<? extends KilnModel> modelClass, DataType dtype) {
        KilnModel model = MODELS.get().computeIfAbsent(modelClass.getName() + "/" + dtype, k -> create(modelClass, dtype));
        LOADED.get().remove(model);
        return model;
    }

    /**
     * This thread's instance holding the weights of broadcast {@code id}: copied in once per thread and broadcast, so
     * that the tasks of a scoring job after the thread's first one start at once.
     */
    static KilnModel holding(Class<? extends KilnModel> modelClass, DataType dtype, long id, Flat weights) {
        KilnModel model = MODELS.get().computeIfAbsent(modelClass.getName() + "/" + dtype, k -> create(modelClass, dtype));
        Long loaded = LOADED.get().get(model);
        if (loaded == null || loaded != id) {
            weights.copyInto(model.parameterBuffer());
            LOADED.get().put(model, id);
        }
        return model;
    }

    /**
     * This thread's instance for training with the variables {@code frozen} (by name) frozen, compiled with an
     * optimizer from {@code optimizers} (kept while its configuration stays the same; its state is the caller's to
     * load). Instances with different frozen variables are kept apart (a frozen node is never unfrozen); the caller
     * loads the weights, then {@link #freeze}s.
     */
    static KilnModel compiled(Class<? extends KilnModel> modelClass, DataType dtype, SparkFit.OptimizerFactory optimizers,
                              Set<String> frozen) {
        KilnModel model = frozen.isEmpty() ? of(modelClass, dtype) : MODELS.get().computeIfAbsent(
                modelClass.getName() + "/" + dtype + "/frozen " + new TreeSet<>(frozen), k -> create(modelClass, dtype));
        Optimizer current = model.optimizer();
        Optimizer wanted = optimizers.create();
        if (current == null || !current.config().equals(wanted.config())) {
            model.compile(wanted);
        }
        return model;
    }

    /**
     * Freezes {@code frozen} (variable names) in {@code model} at their present values, as {@code setTrainable(node,
     * false)} froze them on the driver: each variable's node is its name up to the last slash, and freezing it freezes
     * only variables frozen on the driver (a node's variables freeze together, those of nodes nested in it too).
     */
    static void freeze(KilnModel model, Set<String> frozen) {
        Set<String> nodes = new TreeSet<>();
        frozen.forEach(name -> nodes.add(name.substring(0, name.lastIndexOf('/'))));
        nodes.forEach(node -> model.setTrainable(node, false));
        if (!model.frozenVariables().equals(frozen)) { // cannot happen with Kiln's variable names; never train wrong
            throw new IllegalStateException("could not freeze exactly " + new TreeSet<>(frozen) + " on an executor (froze "
                    + new TreeSet<>(model.frozenVariables()) + "); freeze whole nodes with setTrainable");
        }
    }

    static KilnModel create(Class<? extends KilnModel> modelClass, DataType dtype) {
        try {
            Method create = modelClass.getMethod("create", long.class, DataType.class);
            return modelClass.cast(create.invoke(null, 0L, dtype));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException(modelClass.getName() + " has no public static create(long, DataType):"
                    + " Kiln on Spark makes executors' models through the generated class's factory", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("could not create " + modelClass.getName() + " on an executor: "
                    + e.getCause(), e.getCause());
        }
    }
}
