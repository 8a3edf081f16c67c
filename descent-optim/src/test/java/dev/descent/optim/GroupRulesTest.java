package dev.descent.optim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameter groups chosen by name: matching, ordering, overrides, and errors that quote the rule. */
class GroupRulesTest {

    /** A small model's parameters: name and size. */
    private static ParamStore model() {
        return ParamStore.builder()
                .add("embed.weight", 6).add("fc1.weight", 4, 3).add("fc1.bias", 4)
                .add("LayerNorm.weight", 4).add("LayerNorm.bias", 4).add("head.weight", 2, 4).add("head.bias", 2)
                .build();
    }

    private static List<String> names(ParamGroup g) {
        return g.params().stream().map(Param::name).toList();
    }

    @Test
    void theDefaultGroupComesFirstThenOneGroupPerRuleAndTheFirstMatchingRuleWins() {
        ParamStore store = model();
        List<ParamGroup> groups = GroupRules.parse("bias: lr=0.5", "norm: weight_decay=0, lr=0.25").split(store.params());
        assertEquals(3, groups.size());
        assertEquals(List.of("embed.weight", "fc1.weight", "head.weight"), names(groups.get(0)));
        assertEquals(List.of("fc1.bias", "LayerNorm.bias", "head.bias"), names(groups.get(1)), "bias rule first");
        assertEquals(List.of("LayerNorm.weight"), names(groups.get(2)), "case-insensitive: norm matches LayerNorm");

        Optimizer opt = Optimizers.parse("sgd(lr=0.1, weight_decay=0.01)").build(store.params(),
                "bias: lr=0.5", "norm: weight_decay=0, lr=0.25");
        List<ParamGroup> held = opt.paramGroups();
        assertEquals(0.1, held.get(0).lr());
        assertEquals(0.01, held.get(0).real("weight_decay"));
        assertEquals(0.5, held.get(1).lr());
        assertEquals(0.01, held.get(1).real("weight_decay"), "a rule overrides only what it says");
        assertEquals(0.25, held.get(2).lr());
        assertEquals(0.0, held.get(2).real("weight_decay"));
    }

    @Test
    void emptyGroupsAreLeftOut() {
        ParamStore store = model();
        List<ParamGroup> groups = GroupRules.parse("weight: lr=1", "bias: lr=2", "head: lr=3").split(store.params());
        assertEquals(2, groups.size(), "no default group (every parameter matched) and no group for the shadowed head rule");
        assertEquals(1L, groups.get(0).get("lr"), "values stay as written until an optimizer checks them");
        assertEquals(4, groups.get(0).params().size());
        assertEquals(3, groups.get(1).params().size());
    }

    @Test
    void patternsAreFoundAnywhereAndMayBeAnchoredMadeCaseSensitiveOrHoldColons() {
        ParamStore store = model();
        assertEquals(List.of("fc1.bias", "head.bias"),
                names(GroupRules.parse("(?-i)^[a-z0-9]+\\.bias$: lr=1").split(store.params()).get(1)));
        assertEquals(List.of("fc1.weight", "fc1.bias", "head.weight", "head.bias"),
                names(GroupRules.parse("^(?:fc1|head)\\.: lr=1").split(store.params()).get(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GroupRules.parse("(?-i)norm: lr=1").split(store.params()));
        assertTrue(e.getMessage().contains("'(?-i)norm' matches no parameter name"), e.getMessage());
    }

    @Test
    void theCommonCaseIsOneLineAndBiasesStepLikeAdamWithoutDecayBitForBit() {
        ParamStore model = ParamStore.builder().add("layer.weight", 5).add("layer.bias", 3).build();
        ParamStore alone = ParamStore.builder().add("w", 5).build();
        ParamStore bias = ParamStore.builder().add("b", 3).build();
        Optimizer opt = Optimizers.parse("adamw(lr=0.01, weight_decay=0.1)").build(model.params(), GroupRules.NO_DECAY_ON_BIAS_AND_NORM);
        Optimizer weightOnly = Optimizers.parse("adamw(lr=0.01, weight_decay=0.1)").build(alone.params());
        Optimizer biasAdamW = Optimizers.parse("adamw(lr=0.01, weight_decay=0)").build(bias.params());
        ParamStore bias2 = ParamStore.builder().add("b", 3).build();
        Optimizer biasAdam = Optimizers.parse("adam(lr=0.01)").build(bias2.params());
        assertEquals(2, opt.paramGroups().size());
        assertEquals(0.0, opt.paramGroups().get(1).real("weight_decay"));

        SplittableRandom random = new SplittableRandom(7);
        float[] w0 = new float[5];
        float[] b0 = new float[3];
        for (int i = 0; i < 5; i++) {
            w0[i] = (float) random.nextDouble(-1, 1);
        }
        for (int i = 0; i < 3; i++) {
            b0[i] = (float) random.nextDouble(-1, 1);
        }
        model.param(0).set(w0);
        model.param(1).set(b0);
        alone.param(0).set(w0);
        bias.param(0).set(b0);
        bias2.param(0).set(b0);
        for (int step = 0; step < 20; step++) {
            float[] gw = new float[5];
            float[] gb = new float[3];
            for (int i = 0; i < 5; i++) {
                gw[i] = (float) random.nextDouble(-1, 1);
            }
            for (int i = 0; i < 3; i++) {
                gb[i] = (float) random.nextDouble(-1, 1);
            }
            model.param(0).setGrad(gw);
            model.param(1).setGrad(gb);
            alone.param(0).setGrad(gw);
            bias.param(0).setGrad(gb);
            bias2.param(0).setGrad(gb);
            opt.step();
            weightOnly.step();
            biasAdamW.step();
            biasAdam.step();
            assertArrayEquals(alone.param(0).values(), model.param(0).values(), "weights decay, step " + step);
            assertArrayEquals(bias.param(0).values(), model.param(1).values(), "biases like adamw(weight_decay=0), step " + step);
            assertArrayEquals(bias2.param(0).values(), model.param(1).values(), "biases like plain adam, step " + step);
        }
        // And the decay did make a difference.
        ParamStore undecayed = ParamStore.builder().add("w", 5).build();
        undecayed.param(0).set(w0);
        assertTrue(!java.util.Arrays.equals(undecayed.param(0).values(), alone.param(0).values()));
    }

    @Test
    void tuplesAndFlagsOverrideToo() {
        ParamStore store = model();
        Optimizer opt = Optimizers.parse("adam(lr=0.001)").build(store.params(),
                "embed: betas=(0.8, 0.99), amsgrad=true, lr=1e-2", "head:");
        List<ParamGroup> groups = opt.paramGroups();
        assertEquals(3, groups.size());
        assertEquals(0.8, groups.get(1).real("betas", 0));
        assertEquals(0.99, groups.get(1).real("betas", 1));
        assertTrue(groups.get(1).flag("amsgrad"));
        assertEquals(0.01, groups.get(1).lr());
        assertEquals(0.001, groups.get(2).lr(), "a rule without values makes a group with the spec's values");
        assertEquals(List.of("head.weight", "head.bias"), names(groups.get(2)));
    }

    @Test
    void noRulesIsOneGroup() {
        ParamStore store = model();
        assertEquals(1, GroupRules.none().split(store.params()).size());
        assertEquals(1, Optimizers.parse("adam").build(store.params(), GroupRules.parse(List.of())).paramGroups().size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        bias: weight_dcay=0  | group rule "bias: weight_dcay=0": unknown key for adamw 'weight_dcay'; did you mean 'weight_decay'?
        bias: lr=-1          | group rule "bias: lr=-1": adamw: lr=-1 is invalid
        bias: betas=(0.9)    | group rule "bias: betas=(0.9)": adamw: betas=(0.9) is invalid: must be a tuple of 2 numbers
        bias: amsgrad=1      | group rule "bias: amsgrad=1": adamw: amsgrad=1 is invalid: must be true or false
        bais: lr=1           | group rule "bais: lr=1": the pattern 'bais' matches no parameter name; the names are embed.weight, fc1.weight, fc1.bias
        """)
    void badValuesAndUnmatchedPatternsNameTheRule(String rule, String expected) {
        ParamStore store = model();
        OptimizerSpec spec = Optimizers.parse("adamw");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec.build(store.params(), rule.strip()));
        assertTrue(e.getMessage().startsWith(expected.strip()), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        bias weight_decay=0          | group rule "bias weight_decay=0": expected pattern: key=value
        ': lr=1'                     | the pattern before ':' is empty
        '*bias: lr=1'                | the pattern '*bias' is not a valid regular expression: Dangling meta character
        bias: lr=                    | group rule "bias: lr=": expected a value for lr at offset 9 but found the end of the text
        bias: 0.5                    | group rule "bias: 0.5": expected key=value at offset 6 but found 0.5
        bias: lr=1,                  | expected key=value at offset 11 but found the end of the text (trailing commas are not allowed)
        bias: lr=1 eps=2             | expected ',' or the end of the text at offset 11 but found 'eps'
        'bias: lr=1, LR=2'           | expected each key once
        'bias: betas=(0.9, 0.99'     | expected ',' or ')' at offset 22
        bias: lr=nan                 | NaN is not a valid value
        """)
    void malformedRulesAreRejectedWhenParsedQuotingTheRule(String rule, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GroupRules.parse(rule.strip()));
        assertTrue(e.getMessage().contains(expected.strip()), e.getMessage());
        assertTrue(e.getMessage().startsWith("group rule \"" + rule.strip() + "\": "), e.getMessage());
    }

    @Test
    void longNameListsAreCut() {
        ParamStore.Builder b = ParamStore.builder();
        for (int i = 0; i < 30; i++) {
            b.add("p" + i, 1);
        }
        List<Param> params = b.build().params();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GroupRules.parse("bias: weight_decay=0").split(params));
        assertTrue(e.getMessage().endsWith("p18, p19, ... (10 more)"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        chain(add_decayed_weights(0.01), scale_by_learning_rate(0.1))            | bias: weight_decy=0     | unknown key for chain 'weight_decy'; did you mean 'weight_decay'?
        chain(add_decayed_weights(0.01), scale_by_learning_rate(0.1))            | bias: lr=-1             | lr=-1
        chain(trace(momentum=0.9, nesterov=true), scale_by_learning_rate(0.1))  | bias: momentum=0        | nesterov
        lookahead(chain(scale_by_adam(), scale_by_learning_rate(0.1)))            | bias: betas=(0.9)       | betas=(0.9)
        """)
    void aChainsRulesAreCheckedBeforeBuildingAndQuoteTheRule(String optimizer, String rule, String detail) {
        ParamStore store = model();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.parse(optimizer.strip()).build(store.params(), rule.strip()));
        assertTrue(e.getMessage().startsWith("group rule \"" + rule.strip() + "\": "), e.getMessage());
        assertTrue(e.getMessage().contains(detail.strip()), e.getMessage());
    }
}
