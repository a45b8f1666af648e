package dev.kiln.processor.plan;

import dev.kiln.processor.layer.Arg;
import dev.kiln.processor.layer.Call;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives buffers whose lifetimes do not overlap one slot of memory. A step runs the forward calls, then the loss (which
 * reads the outputs and writes their gradients), then one of two backward passes: training's {@code backward}, or a
 * tape's {@code backwardToInputs}. A buffer lives, in each of these two timelines, from the first kernel call that
 * touches it to the last (a fused output's logits at least to the loss); the outputs' values live to the end of the step, since the training loop reads the
 * predictions of a step after it (Trainable.StepResult), and the inputs' gradients to the end of the tape's pass, which
 * hands them out. Two buffers share a slot only when they do not overlap in either timeline, so no call ever reads and
 * writes the same memory through two names.
 *
 * <p>Buffers that only the tape's pass touches (the inputs' gradients, and gradients training never needs) get slots of
 * their own, after training's, which the model binds only when a tape runs: training's memory is what it would be
 * without tapes.
 */
final class SlotAllocator {
    private SlotAllocator() {
    }

    /** Training's buffers and the tape's own, with their slots; training's slot count, then the tape's. */
    record Result(List<Plan.Buffer> buffers, int slots, List<Plan.Buffer> tapeBuffers, int tapeSlots) {
    }

    static Result assign(List<Plan.Buffer> buffers, List<Plan.Block> forward, List<Plan.Block> backward,
            List<Plan.Block> backwardToInputs, List<Plan.OutputBinding> outputs, List<String> inputGradients) {
        Map<String, int[]> training = new HashMap<>();
        Map<String, int[]> tape = new HashMap<>();
        int loss = 0;
        for (Map<String, int[]> life : List.of(training, tape)) {
            int position = 0;
            for (Plan.Block b : forward) {
                for (Call c : b.calls()) {
                    touch(life, c, position++);
                }
            }
            loss = position++;
            for (Plan.OutputBinding o : outputs) {
                extend(life, o.valueField(), loss);
                extend(life, o.gradientField(), loss);
                extend(life, o.logitsField(), loss); // a fused output's loss is taken from its logits
            }
            for (Plan.Block b : life == training ? backward : backwardToInputs) {
                for (Call c : b.calls()) {
                    touch(life, c, position++);
                }
            }
            for (Plan.OutputBinding o : outputs) {
                extend(life, o.valueField(), position); // the trainer's metrics read the predictions after the step
            }
            if (life == tape) {
                for (String dx : inputGradients) {
                    extend(life, dx, position); // the tape copies the inputs' gradients after the pass
                }
            }
        }
        int unused = loss;
        for (Plan.Buffer b : buffers) {
            if (!training.containsKey(b.field()) && !tape.containsKey(b.field())) {
                training.put(b.field(), new int[] {unused, unused}); // never touched: lives at the loss, harmlessly
            }
        }
        List<Plan.Buffer> mine = new ArrayList<>();
        List<Plan.Buffer> tapeOnly = new ArrayList<>();
        for (Plan.Buffer b : buffers) {
            (training.containsKey(b.field()) ? mine : tapeOnly).add(b);
        }
        Comparator<Plan.Buffer> byStart = Comparator.comparingInt(b -> start(training, tape, b.field(), unused));
        mine.sort(byStart);
        tapeOnly.sort(byStart);
        List<List<String>> slots = new ArrayList<>();
        List<Plan.Buffer> out = place(mine, slots, 0, training, tape);
        int trainingSlots = slots.size();
        List<List<String>> tapeSlots = new ArrayList<>();
        List<Plan.Buffer> tapeOut = place(tapeOnly, tapeSlots, trainingSlots, training, tape);
        return new Result(ordered(out), trainingSlots, ordered(tapeOut), tapeSlots.size());
    }

    /** First fit: each buffer into the first slot whose buffers it overlaps in neither timeline, or a new slot. */
    private static List<Plan.Buffer> place(List<Plan.Buffer> order, List<List<String>> slots, int firstSlot,
            Map<String, int[]> training, Map<String, int[]> tape) {
        List<Plan.Buffer> out = new ArrayList<>();
        for (Plan.Buffer b : order) {
            int slot = -1;
            for (int s = 0; s < slots.size() && slot < 0; s++) {
                boolean free = true;
                for (String other : slots.get(s)) {
                    free &= !overlap(training, b.field(), other) && !overlap(tape, b.field(), other);
                }
                slot = free ? s : -1;
            }
            if (slot < 0) {
                slot = slots.size();
                slots.add(new ArrayList<>());
            }
            slots.get(slot).add(b.field());
            out.add(new Plan.Buffer(b.field(), firstSlot + slot, b.shape()));
        }
        return out;
    }

    private static List<Plan.Buffer> ordered(List<Plan.Buffer> buffers) {
        List<Plan.Buffer> out = new ArrayList<>(buffers);
        out.sort(Comparator.comparingInt(Plan.Buffer::slot)
                .thenComparing(Comparator.comparingLong((Plan.Buffer b) -> b.shape().elements()).reversed()));
        return out;
    }

    private static int start(Map<String, int[]> training, Map<String, int[]> tape, String field, int unused) {
        int[] a = training.get(field);
        int[] b = tape.get(field);
        return a != null ? a[0] : b != null ? b[0] : unused;
    }

    private static boolean overlap(Map<String, int[]> life, String x, String y) {
        int[] a = life.get(x);
        int[] b = life.get(y);
        return a != null && b != null && a[0] <= b[1] && b[0] <= a[1];
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
