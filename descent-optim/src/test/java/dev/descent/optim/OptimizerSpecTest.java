package dev.descent.optim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A configuration written out by toString() parses back to the same values, for specs and optimizers alike. */
class OptimizerSpecTest {

    /** The values with tuples as lists, so that maps compare by content. */
    static Map<String, Object> comparable(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v instanceof double[] ? Arrays.stream((double[]) v).boxed().toList() : v));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sgd(lr=0.1)", "sgd(lr=1e-10, momentum=0.9, dampening=0.25, weight_decay=1e-4, maximize=true)",
        "sgd(lr=0.30000000000000004, momentum=0.95, nesterov=true)", "momentum(lr=3e-5)", "nag(lr=0.01, momentum=0.5)",
        "adagrad", "adagrad(lr=0.1, lr_decay=0.01, weight_decay=0.2, initial_accumulator_value=0.5, eps=1e-6, maximize=true)",
        "rmsprop", "rmsprop(lr=0.001, alpha=0.9, eps=1e-6, weight_decay=0.01, momentum=0.9, centered=true, maximize=true)",
        "adadelta", "adadelta(lr=0.5, rho=0.95, eps=1e-8, weight_decay=1e300, maximize=true)",
        "adam", "adam(lr=0.1, betas=(0, 0.5), eps=1e-12, weight_decay=0.1, amsgrad=true, maximize=true)",
        "Adam(LR=1, Betas=[0.8, 0.888], AMSGrad=True, foreach=true)",
        "nadam", "nadam(lr=0.01, betas=(0.95, 0.9999), eps=1e-7, weight_decay=0.03, momentum_decay=0.01)",
        "adamw", "adamax", "radam", "asgd(t0=1e6, lambd=-1e-4)", "rprop(etas=(0.4, 1.3), step_sizes=(1e-7, 1e3))",
    })
    void toStringParsesBackToAnEqualConfiguration(String text) {
        OptimizerSpec spec = Optimizers.parse(text);
        String written = spec.toString();
        OptimizerSpec again = Optimizers.parse(written);
        assertEquals(spec.algorithm(), again.algorithm(), written);
        assertEquals(comparable(spec.values()), comparable(again.values()), written);
        assertEquals(written, again.toString(), "the canonical text is a fixed point");
        // Every declared hyperparameter is written out.
        for (Hyperparameter h : spec.algorithm().hyperparameters()) {
            assertTrue(written.contains(h.name() + "="), written + " lacks " + h.name());
        }
    }

    @Test
    void theCanonicalTextWritesEveryValueInDeclarationOrder() {
        assertEquals("adam(lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weight_decay=0.0, amsgrad=false, maximize=false,"
                + " eps_placement=\"torch\")", Optimizers.parse("adam").toString());
        assertEquals("sgd(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.0, nesterov=true, maximize=false)",
                Optimizers.parse("nag(lr=0.1)").toString());
        assertEquals("nadam(lr=0.002, betas=(0.9, 0.999), eps=1.0E-8, weight_decay=0.0, momentum_decay=0.004)",
                Optimizers.parse("nadam").toString());
    }

    @Test
    void differentConfigurationsWriteDifferently() {
        assertNotEquals(Optimizers.parse("adam(lr=0.1)").toString(), Optimizers.parse("adam(lr=0.10000000000000002)").toString());
        assertNotEquals(Optimizers.parse("momentum(lr=0.1)").toString(), Optimizers.parse("nag(lr=0.1)").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sgd(lr=0.1, momentum=0.9, dampening=0.25, weight_decay=1e-4)", "nag(lr=0.01)", "adagrad(lr_decay=0.01)",
        "rmsprop(centered=true, momentum=0.5)", "adadelta(rho=0.5)", "adam(betas=(0.5, 0.6), amsgrad=true)",
        "nadam(momentum_decay=0.1)",
    })
    void anOptimizersToStringBuildsTheSameConfiguration(String text) {
        OptimizerSpec spec = Optimizers.parse(text);
        Optimizer opt = spec.build(ParamStore.of("w", 1f, 2f).params());
        assertEquals(spec.toString(), opt.toString());
        OptimizerSpec back = Optimizers.parse(opt.toString());
        assertEquals(comparable(spec.values()), comparable(back.values()));
        Optimizer rebuilt = back.build(ParamStore.of("w", 1f, 2f).params());
        assertEquals(comparable(opt.paramGroups().get(0).values()), comparable(rebuilt.paramGroups().get(0).values()));
    }

    @Test
    void anOptimizersToStringFollowsValuesSetBetweenSteps() {
        Optimizer opt = Optimizers.create("adam(lr=0.1)", ParamStore.of("w", 1f).params());
        opt.setLr(0.025);
        opt.paramGroups().get(0).set("betas", List.of(0.5, 0.75));
        opt.paramGroups().get(0).set("amsgrad", true);
        OptimizerSpec back = Optimizers.parse(opt.toString());
        assertEquals(0.025, back.values().get("lr"));
        assertEquals(List.of(0.5, 0.75), comparable(back.values()).get("betas"));
        assertEquals(true, back.values().get("amsgrad"));
    }

    @Test
    void theSpecsValuesAreReadOnly() {
        OptimizerSpec spec = Optimizers.parse("adam");
        assertThrows(UnsupportedOperationException.class, () -> spec.values().put("lr", 1.0));
        ((double[]) spec.values().get("betas"))[0] = 7.0;
        assertEquals(List.of(0.9, 0.999), comparable(spec.values()).get("betas"), "a tuple read through values() is a copy");
        assertEquals(0.9, spec.build(ParamStore.of("w", 1f).params()).paramGroups().get(0).real("betas", 0));
    }

    @Test
    void aSpecBuildsIndependentOptimizers() {
        OptimizerSpec spec = Optimizers.parse("sgd(lr=0.5)");
        Optimizer a = spec.build(ParamStore.of("w", 1f).params());
        Optimizer b = spec.build(ParamStore.of("w", 1f).params());
        a.setLr(0.25);
        assertEquals(0.5, b.lr());
        assertEquals(0.5, spec.values().get("lr"));
    }
}
