package dev.kiln.runtime.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An optimizer's slot buffers (Keras's optimizer variables: {@code momentum}, {@code velocity}, ...) by name, in the
 * order they were created, and their copy out and checked copy in for {@link Optimizer#state()} and
 * {@link Optimizer#loadState}.
 */
final class Slots {
    private final String owner;
    private final Map<String, FlatArray> byName = new LinkedHashMap<>();

    Slots(String owner) {
        this.owner = owner;
    }

    /**
     * A new slot of {@code size} elements filled with {@code initialValue}, on the heap, in chunks when
     * {@code chunked} and the dtype is float32 (see {@link FlatArray}).
     */
    FlatArray add(String name, DataType dtype, long size, double initialValue, boolean chunked) {
        int n = Math.toIntExact(size);
        FlatArray slot = chunked && dtype == DataType.FLOAT ? FlatArray.chunkedSlot(n) : FlatArray.slot(dtype, n);
        if (initialValue != 0) {
            slot.fill(initialValue);
        }
        byName.put(name, slot);
        return slot;
    }

    /** Copies of every slot, by name. */
    Map<String, INDArray> copies() {
        Map<String, INDArray> copies = new LinkedHashMap<>();
        byName.forEach((name, slot) -> copies.put(name, slot.copy()));
        return copies;
    }

    /**
     * Copies {@code state}'s slots in, converted to the slots' dtype, after checking that every slot is there with its
     * length and that nothing but the slots and the keys in {@code alsoAllowed} is.
     */
    void load(Map<String, INDArray> state, String alsoAllowed) {
        for (Map.Entry<String, FlatArray> slot : byName.entrySet()) {
            INDArray saved = state.get(slot.getKey());
            if (saved == null) {
                throw new IllegalArgumentException(owner + " state is missing slot '" + slot.getKey() + "' (" + owner
                        + " with this config has slots " + byName.keySet() + ")");
            }
            if (saved.length() != slot.getValue().length) {
                throw new IllegalArgumentException(owner + " slot '" + slot.getKey() + "' must hold "
                        + slot.getValue().length + " values, got " + saved.length());
            }
        }
        for (String key : state.keySet()) {
            if (!key.equals(alsoAllowed) && !byName.containsKey(key)) {
                throw new IllegalArgumentException(owner + " state has slot '" + key + "', which " + owner
                        + " with this config does not have (its slots: " + byName.keySet() + ")");
            }
        }
        byName.forEach((name, slot) -> slot.assign(state.get(name)));
    }
}
