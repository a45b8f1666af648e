package dev.kiln.processor.plan;

import dev.kiln.processor.layer.Arg;
import dev.kiln.processor.layer.Call;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives buffers whose lifetimes do not overlap one slot of memory. A buffer lives from the first kernel call that
 * touches it to the last, over one training step laid out as forward calls, then the loss (which reads the outputs
 * and writes their gradients), then backward calls; the outputs' values live to the end of the step, since the
 * training loop reads the predictions of a step after it (Trainable.StepResult). Two buffers share a slot only when
 * one's last use comes strictly before the other's first, so no call ever reads and writes the same memory through two
 * names.
 */
final class SlotAllocator {
    private SlotAllocator() {
    }

    /** The buffers with their slots assigned, ordered by slot; and the number of slots. */
    record Result(List<Plan.Buffer> buffers, int slots) {
    }

    static Result assign(List<Plan.Buffer> buffers, List<Plan.Block> forward, List<Plan.Block> backward,
            List<Plan.OutputBinding> outputs) {
        Map<String, int[]> life = new HashMap<>();
        int position = 0;
        for (Plan.Block b : forward) {
            for (Call c : b.calls()) {
                touch(life, c, position++);
            }
        }
        int loss = position++;
        for (Plan.OutputBinding o : outputs) {
            extend(life, o.valueField(), loss);
            extend(life, o.gradientField(), loss);
        }
        for (Plan.Block b : backward) {
            for (Call c : b.calls()) {
                touch(life, c, position++);
            }
        }
        for (Plan.OutputBinding o : outputs) {
            extend(life, o.valueField(), position); // the trainer's metrics read the predictions after the step
        }
        List<Plan.Buffer> order = new ArrayList<>(buffers);
        order.sort(Comparator.comparingInt(b -> life.getOrDefault(b.field(), new int[] {loss, loss})[0]));
        List<Integer> slotEnd = new ArrayList<>();
        List<Plan.Buffer> out = new ArrayList<>();
        for (Plan.Buffer b : order) {
            int[] span = life.getOrDefault(b.field(), new int[] {loss, loss});
            int slot = -1;
            for (int s = 0; s < slotEnd.size(); s++) {
                if (slotEnd.get(s) < span[0]) {
                    slot = s;
                    break;
                }
            }
            if (slot < 0) {
                slot = slotEnd.size();
                slotEnd.add(span[1]);
            } else {
                slotEnd.set(slot, span[1]);
            }
            out.add(new Plan.Buffer(b.field(), slot, b.shape()));
        }
        out.sort(Comparator.comparingInt(Plan.Buffer::slot)
                .thenComparing(Comparator.comparingLong((Plan.Buffer b) -> b.shape().elements()).reversed()));
        return new Result(out, slotEnd.size());
    }

    private static void touch(Map<String, int[]> life, Call c, int position) {
        for (Arg a : c.args()) {
            if (a instanceof Arg.Ref r) {
                extend(life, r.field(), position);
            }
        }
    }

    private static void extend(Map<String, int[]> life, String field, int position) {
        if (field == null) {
            return;
        }
        int[] span = life.computeIfAbsent(field, f -> new int[] {position, position});
        span[0] = Math.min(span[0], position);
        span[1] = Math.max(span[1], position);
    }
}
