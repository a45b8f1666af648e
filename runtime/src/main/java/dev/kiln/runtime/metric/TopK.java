package dev.kiln.runtime.metric;

/** The in-top-k test shared by the two top-k accuracies, on a batch's values copied to the JVM. */
final class TopK {

    private TopK() {
    }

    /**
     * How many rows have their target class among the {@code k} highest scores. As TensorFlow's {@code in_top_k},
     * a class tied with the k-th score counts as in the top k: the target is in when fewer than {@code k} classes
     * score strictly higher.
     *
     * @param scores {@code rows * classes} values, row after row
     * @param targets one class id per row
     */
    static int hits(float[] scores, long[] targets, int classes, int k) {
        int hits = 0;
        for (int row = 0; row < targets.length; row++) {
            int base = row * classes;
            long target = targets[row];
            if (target < 0 || target >= classes) {
                continue;   // TensorFlow's in_top_k: an out-of-range id is never in the top k
            }
            float score = scores[base + (int) target];
            int higher = 0;
            for (int c = 0; c < classes && higher < k; c++) {
                if (scores[base + c] > score) {
                    higher++;
                }
            }
            if (higher < k && !Float.isNaN(score)) {
                hits++;
            }
        }
        return hits;
    }

    static void checkK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1 (Keras's default is 5), but is " + k);
        }
    }
}
