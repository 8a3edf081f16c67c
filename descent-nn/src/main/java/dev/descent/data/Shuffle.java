package dev.descent.data;

import java.util.SplittableRandom;

/**
 * Seeded random orders of examples: a Fisher-Yates shuffle drawn from a {@link SplittableRandom} made from
 * an explicit seed, so that the same seed gives the same order on every machine and no global generator is
 * involved.
 */
public final class Shuffle {
    private Shuffle() {
    }

    /** A uniformly random permutation of {@code 0 .. n-1} determined by {@code seed}. */
    public static int[] permutation(int n, long seed) {
        return permutation(n, new SplittableRandom(seed));
    }

    /** A uniformly random permutation of {@code 0 .. n-1} drawn from {@code random}. */
    public static int[] permutation(int n, SplittableRandom random) {
        if (n < 0) {
            throw new IllegalArgumentException("n " + n + ": must be 0 or more");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * The seed of epoch {@code epoch}'s shuffle in a run seeded with {@code seed}: a function of both alone,
     * so a run resumed at any epoch sees the orders the uninterrupted run would have seen.
     */
    public static long epochSeed(long seed, int epoch) {
        // SplittableRandom mixes its seed, but nearby seeds are spread first so that (seed, epoch) pairs
        // such as (0, 1) and (1, 0) do not meet.
        return mix(seed) ^ mix(0x9E3779B97F4A7C15L * (epoch + 1L));
    }

    /** Stafford's variant 13 of the 64-bit MurmurHash3 finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
