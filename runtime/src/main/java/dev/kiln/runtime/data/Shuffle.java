package dev.kiln.runtime.data;

import java.util.SplittableRandom;

/** Seeded permutations: the same seed gives the same order on every machine and every run. */
final class Shuffle {
    private Shuffle() {
    }

    /** Sets {@code order} to 0, 1, ..., n-1 and shuffles it (Fisher-Yates) with a generator seeded by {@code seed}. */
    static void permute(int[] order, long seed) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    /**
     * The seed of one epoch's order: (seed, epoch) pairs are mixed (SplitMix64's finalizer) so that neighbouring epochs
     * do not get neighbouring, correlated generator states.
     */
    static long epochSeed(long seed, int epoch) {
        return mix(mix(seed) + epoch);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
