package dev.descent.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Group rules given to a wrapper reach the optimizer it wraps, checked against that optimizer's algorithm. */
class WrapperGroupRulesTest {
    private static ParamStore store() {
        ParamStore s = ParamStore.builder().add("w", 3).add("bias", 2).build();
        s.param(0).set(1f, -2f, 0.5f);
        s.param(1).set(3f, -1f);
        return s;
    }

    /** Steps {@code opt} five times on 0.5 |θ|² + θ₀ and returns the weights. */
    private static float[] run(Optimizer opt, ParamStore s) {
        for (int k = 0; k < 5; k++) {
            for (int i = 0; i < s.size(); i++) {
                s.grad()[i] = s.data()[i] + (i == 0 ? 1 : 0);
            }
            s.markGradsDefined();
            opt.step();
        }
        return s.data().clone();
    }

    private static float[] run(String spec, String... rules) {
        ParamStore s = store();
        return run(Optimizers.parse(spec).build(s.params(), rules), s);
    }

    @Test
    void aRuleReachesTheInnerOptimizersGroups() {
        ParamStore s = store();
        Optimizer opt = Optimizers.parse("lookahead(adamw(lr=0.01, weight_decay=0.1), k=2)").build(s.params(), "bias: weight_decay=0");
        assertEquals(2, opt.paramGroups().size());
        assertEquals(0.1, opt.paramGroups().get(0).real("weight_decay"));
        assertEquals(0.0, opt.paramGroups().get(1).real("weight_decay"));
        assertEquals("bias", opt.paramGroups().get(1).params().get(0).name());
        assertEquals(opt.paramGroups(), ((Lookahead) opt).inner().paramGroups());
    }

    @Test
    void aWrapperWithRulesStepsAsItsInnerOptimizerWithTheSameRules() {
        // ema leaves the weights to the inner optimizer, so the rule must show in them
        float[] plain = run("adamw(lr=0.1, weight_decay=0.5)", "bias: weight_decay=0, lr=0.2");
        assertArrayEquals(plain, run("ema(adamw(lr=0.1, weight_decay=0.5), decay=0.9)", "bias: weight_decay=0, lr=0.2"));
        assertFalse(java.util.Arrays.equals(plain, run("ema(adamw(lr=0.1, weight_decay=0.5), decay=0.9)")));
        // and nested wrappers hand the groups all the way down
        float[] sgd = run("sgd(lr=0.1, weight_decay=0.1)", "w: lr=0.3");
        assertArrayEquals(sgd, run("swa(ema(sgd(lr=0.1, weight_decay=0.1)), swa_start=100, swa_lr=0.01)", "w: lr=0.3"));
        assertFalse(java.util.Arrays.equals(sgd, run("swa(ema(sgd(lr=0.1, weight_decay=0.1)), swa_start=100, swa_lr=0.01)")));
    }

    @Test
    void aKeyBothHaveGoesToTheInnerOptimizer() {
        ParamStore s = store();
        Optimizer opt = Optimizers.parse("lookahead(rmsprop(lr=0.01), alpha=0.5)").build(s.params(), "bias: alpha=0.9");
        assertEquals(0.99, opt.paramGroups().get(0).real("alpha"));
        assertEquals(0.9, opt.paramGroups().get(1).real("alpha"));
        assertEquals(0.5, ((Lookahead) opt).settings().real("alpha"), "lookahead's own alpha is untouched");
    }

    @Test
    void aBadRuleIsRefusedBeforeBuildingAndQuoted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.parse("lookahead(adamw(lr=0.001))").build(store().params(), "bias: weight_decai=0"));
        assertTrue(e.getMessage().startsWith("group rule \"bias: weight_decai=0\": unknown key for adamw 'weight_decai'"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.parse("ema(sgd(lr=0.1))").build(store().params(), "bias: momentum=-1"));
        assertTrue(e.getMessage().contains("group rule \"bias: momentum=-1\"") && e.getMessage().contains("momentum=-1"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.parse("lookahead(adamw(lr=0.001), k=5)").build(store().params(), "bias: k=3"));
        assertTrue(e.getMessage().contains("group rule \"bias: k=3\"")
                && e.getMessage().contains("k is a setting of lookahead, which holds for every parameter"), e.getMessage());
    }
}
