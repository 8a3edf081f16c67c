package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Rprop's vector path (a branch-free loop over ranges whose products g · g_prev are all finite, with a fall-back
 * to the scalar rule on the blocks of a range that holds another) against {@link Rprop#scalarStep}, the rule one element at a time: every bit of the weights and
 * both buffers, over steps whose gradients mix signs that hold and flip, zeros of both signs, subnormals,
 * infinities and NaNs, on tensors whose lengths leave tails in the blocks.
 */
class RpropVectorPathTest {
    private static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-30f, -1e20f};
    /** Special values whose products with each other and with ordinary gradients stay finite: the vector path takes them. */
    private static final float[] FINITE_SPECIAL = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        -Float.MIN_NORMAL, 1e-30f, -1e15f, 3e-39f};

    private static void assertSameBits(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                    what + " at " + i + ": expected " + expected[i] + " but was " + actual[i]);
        }
    }

    /** Steps {@code spec} and the scalar rule side by side; {@code specials} is the share of special gradients. */
    private static void check(String spec, double specials, long seed) {
        check(spec, specials, SPECIAL, seed);
    }

    private static void check(String spec, double specials, float[] special, long seed) {
        ParamStore store = ParamStore.builder().add("a", 1).add("b", 2047).add("c", 2049).add("d", 5003).build();
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = store.data();
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextInt(20) == 0 ? (random.nextBoolean() ? 0f : -0f) : (float) random.nextGaussian();
        }
        store.markGradsDefined();
        Optimizer opt = Optimizers.create(spec, store.params());
        Rprop rule = (Rprop) opt;
        ParamGroup group = rule.paramGroups().get(0);
        float sign = group.flag("maximize") ? -1f : 1f;
        float etaMinus = (float) group.real("etas", 0);
        float etaPlus = (float) group.real("etas", 1);
        float min = (float) group.real("step_sizes", 0);
        float max = (float) group.real("step_sizes", 1);
        float[] expectedW = w.clone();
        float[] expectedPrev = new float[w.length];
        float[] expectedSize = new float[w.length];
        Arrays.fill(expectedSize, (float) group.lr());
        float[] grad = store.grad();
        for (int step = 1; step <= 8; step++) {
            for (int i = 0; i < grad.length; i++) {
                // a third of the elements keep their sign, so that step sizes grow to the clamp
                grad[i] = i % 3 == 0 ? (float) Math.abs(random.nextGaussian()) : (float) random.nextGaussian();
                if (random.nextDouble() < specials) {
                    grad[i] = special[random.nextInt(special.length)];
                }
            }
            opt.step();
            Rprop.scalarStep(expectedW, grad, expectedPrev, expectedSize, sign, etaMinus, etaPlus, min, max, 0, w.length);
            Map<Integer, Map<String, Object>> state = opt.stateDict().state();
            String what = spec + " step " + step + " ";
            assertSameBits(what + "weights", expectedW, w);
            float[] prev = new float[w.length];
            float[] size = new float[w.length];
            for (int k = 0; k < store.params().size(); k++) {
                Param p = store.param(k);
                System.arraycopy((float[]) state.get(k).get("prev"), 0, prev, p.offset(), p.size());
                System.arraycopy((float[]) state.get(k).get("step_size"), 0, size, p.offset(), p.size());
            }
            assertSameBits(what + "prev", expectedPrev, prev);
            assertSameBits(what + "step_size", expectedSize, size);
        }
    }

    @Test
    void vectorPathEqualsScalarRuleOnOrdinaryGradients() {
        for (String spec : List.of("rprop(lr=0.01)", "rprop(lr=0.001, etas=(0.3, 1.5), step_sizes=(1e-4, 0.05))",
                "rprop(lr=0.1, maximize=true)")) {
            check(spec, 0, 1);
        }
    }

    @Test
    void vectorPathEqualsScalarRuleWithSpecialValues() {
        for (String spec : List.of("rprop(lr=0.01)", "rprop(lr=0.01, maximize=true, step_sizes=(0, 1e50))",
                "rprop(lr=1e40, step_sizes=(1e-6, 1e40))")) {
            check(spec, 0.01, 2);
            check(spec, 0.0005, 4); // a few blocks of each range then take the scalar rule, the others not
        }
    }

    @Test
    void vectorPathEqualsScalarRuleOnZerosOfBothSignsAndSubnormals() {
        // every product stays finite, so every element takes the vector path: its kept gradient (-0 kept, +0
        // where the sign flipped), its direction (+0 for either zero) and products that underflow to ±0
        for (String spec : List.of("rprop(lr=0.01)", "rprop(lr=0.01, maximize=true, etas=(0.3, 1.5))")) {
            check(spec, 0.2, FINITE_SPECIAL, 5);
        }
    }

    @Test
    void etasOutsideTheVectorPathsRangeInFloatTakeTheScalarRule() {
        // η₋ rounds to 0 in float, η₊ to +∞, both to 1: the scalar rule's comparisons then decide, as before
        for (String spec : List.of("rprop(lr=0.01, etas=(1e-50, 1.2))", "rprop(lr=0.01, etas=(0.5, 1e50))",
                "rprop(lr=0.01, etas=(0.99999999999, 1.00000000001))", "rprop(lr=0.01, etas=(0.5, 1e20))")) {
            check(spec, 0.01, 3);
        }
    }
}
