package dev.kiln.runtime.layer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the window layers' configs share: a size, stride or dilation per spatial axis. */
final class AxisValues {
    private AxisValues() {
    }

    static List<Integer> list(int... values) {
        return Arrays.stream(values).boxed().toList();
    }

    /** One value per spatial axis: a single value repeated {@code rank} times (Keras's tuple normalisation). */
    static List<Integer> perAxis(List<Integer> values, int rank) {
        if (values.size() == rank || values.size() != 1) {
            return List.copyOf(values);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            out.add(values.get(0));
        }
        return List.copyOf(out);
    }

    /** Four sides {@code top, bottom, left, right} from one value, two ({@code rows, columns}) or four. */
    static List<Integer> sides(List<Integer> values) {
        if (values.size() == 1) {
            int v = values.get(0);
            return List.of(v, v, v, v);
        }
        if (values.size() == 2) {
            return List.of(values.get(0), values.get(0), values.get(1), values.get(1));
        }
        return List.copyOf(values);
    }
}
