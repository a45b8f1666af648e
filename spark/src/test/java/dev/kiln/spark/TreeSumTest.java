package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tree sum gives the same bits whatever order Spark combines the partitions' results in. */
class TreeSumTest {

    private static Partial leaf(int partition, Random random) {
        Partial p = new Partial();
        p.partition = partition;
        p.samples = 1 + partition;
        p.vector = new double[] {random.nextGaussian() * 1e8, random.nextGaussian() * 1e-8, random.nextGaussian()};
        p.logs = new double[] {random.nextDouble()};
        return p;
    }

    /** Sums {@code n} leaves that arrive in a random order and are combined in random groups, as Spark's tasks are. */
    private static double[] sum(int n, long order) {
        Random values = new Random(1);
        List<Partial> leaves = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            leaves.add(leaf(p, values));
        }
        Random shuffle = new Random(order);
        Collections.shuffle(leaves, shuffle);
        List<TreeSum> groups = new ArrayList<>();
        for (Partial leaf : leaves) {
            if (groups.isEmpty() || shuffle.nextBoolean()) {
                groups.add(new TreeSum());
            }
            groups.get(groups.size() - 1).add(leaf.partition, leaf);
        }
        while (groups.size() > 1) {
            TreeSum a = groups.remove(shuffle.nextInt(groups.size()));
            TreeSum b = groups.remove(shuffle.nextInt(groups.size()));
            groups.add(shuffle.nextBoolean() ? a.merge(b) : b.merge(a));
        }
        Partial total = groups.get(0).total();
        assertEquals((long) n * (n + 1) / 2, total.samples);
        return total.vector;
    }

    @Test
    void anyArrivalAndMergeOrderGivesTheSameBits() {
        for (int n : new int[] {1, 2, 3, 5, 8, 13}) {
            double[] first = sum(n, 0);
            for (long order = 1; order < 20; order++) {
                assertArrayEquals(first, sum(n, order), n + " partitions, order " + order);
            }
        }
    }
}
