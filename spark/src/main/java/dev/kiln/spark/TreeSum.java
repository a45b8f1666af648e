package dev.kiln.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The accumulator of {@code treeAggregate} that sums the partitions' {@link Partial}s in one fixed order whatever order
 * Spark combines them in, so that a round's sum is the same bits every time: after a retried task, on another
 * scheduling, with any number of partitions. Floating-point addition is not associative, so Spark's plain sum (which
 * merges results as tasks finish) would differ in the last bits from run to run.
 *
 * <p>The order is a fixed binary tree over partition indexes: partition {@code p} is block {@code (0, p)}; blocks
 * {@code (l, 2i)} and {@code (l, 2i+1)} sum, left plus right, into {@code (l+1, i)} as soon as both are present, in
 * whichever task or on whichever side of a merge they meet. Every block is therefore the same function of its
 * partitions; what is left at the end (the blocks whose sibling does not exist) is summed from left to right.
 */
final class TreeSum implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Blocks by (level, index), ordered by level then index. */
    private final TreeMap<Long, Partial> blocks = new TreeMap<>();

    /** Adds partition {@code partition}'s result (Spark's {@code seqOp}). */
    TreeSum add(int partition, Partial partial) {
        insert(0, partition, partial);
        return this;
    }

    /** Merges {@code other} into this (Spark's {@code combOp}). */
    TreeSum merge(TreeSum other) {
        for (Map.Entry<Long, Partial> e : other.blocks.entrySet()) {
            insert((int) (e.getKey() >>> 32), (int) (long) e.getKey(), e.getValue());
        }
        return this;
    }

    private void insert(int level, int index, Partial partial) {
        while (true) {
            Partial sibling = blocks.remove(key(level, index ^ 1));
            if (sibling == null) {
                if (blocks.put(key(level, index), partial) != null) {
                    throw new IllegalStateException("partition block (" + level + ", " + index + ") summed twice");
                }
                return;
            }
            partial = (index & 1) == 0 ? partial.plus(sibling) : sibling.plus(partial);
            level++;
            index >>= 1;
        }
    }

    /** The sum of every partition: the blocks left, from the first partition to the last. */
    Partial total() {
        TreeMap<Long, Partial> byStart = new TreeMap<>();
        blocks.forEach((k, v) -> byStart.put(((long) (int) (long) k) << (k >>> 32), v));
        Partial sum = null;
        for (Partial p : byStart.values()) {
            sum = sum == null ? p : sum.plus(p);
        }
        if (sum == null) {
            throw new IllegalStateException("no partition returned a result");
        }
        return sum;
    }

    private static long key(int level, int index) {
        return ((long) level << 32) | (index & 0xffffffffL);
    }
}
