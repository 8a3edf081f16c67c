package dev.descent.lab;

import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepTrafficTest {
    private static int bytes(String spec) {
        return StepTraffic.bytesPerParam(Optimizers.parse(spec));
    }

    @Test
    void countsTheArraysAFusedStepReadsAndWrites() {
        assertEquals(12, bytes("sgd(lr=0.1)"));
        assertEquals(12, bytes("sgd(lr=0.1, weight_decay=0.01, maximize=true)"));
        assertEquals(20, bytes("sgd(lr=0.1, momentum=0.9)"));
        assertEquals(20, bytes("momentum(lr=0.1)"));
        assertEquals(20, bytes("nag(lr=0.1)"));
        assertEquals(12, bytes("momentum(lr=0.1, momentum=0)"));
        assertEquals(20, bytes("adagrad"));
        assertEquals(20, bytes("rmsprop"));
        assertEquals(28, bytes("rmsprop(centered=true)"));
        assertEquals(28, bytes("rmsprop(momentum=0.9)"));
        assertEquals(36, bytes("rmsprop(centered=true, momentum=0.9)"));
        assertEquals(28, bytes("adadelta"));
        assertEquals(28, bytes("adam"));
        assertEquals(36, bytes("adam(amsgrad=true)"));
        assertEquals(28, bytes("nadam"));
        assertEquals(20, bytes("lion"));
        assertEquals(28, bytes("adabelief"));
        assertEquals(28, bytes("yogi"));
        assertEquals(44, bytes("lamb"));
        assertEquals(12, bytes("lars"));
        assertEquals(20, bytes("lars(momentum=0.9)"));
        assertEquals(28, bytes("lars(momentum=0.9, weight_decay=1e-4)"));
        assertEquals(20, bytes("lars(always_adapt=true)"));
        assertEquals(32, bytes("adafactor"));
        assertEquals(40, bytes("adafactor(beta1=0.9)"));
        assertEquals(28, bytes("ftrl"));
        assertEquals(28, bytes("adabelief"));
        assertEquals(36, bytes("adabelief(amsgrad=true)"));
        assertEquals(20, bytes("sgd_schedulefree"));
        assertEquals(28, bytes("adamw_schedulefree"));
        assertEquals(28, bytes("muon"));
        assertEquals(40, bytes("ema(adam)"));
        assertEquals(32, bytes("swa(sgd(lr=0.1, momentum=0.9), swa_start=10, swa_lr=0.05)"));
        assertEquals(16, bytes("swa(sgd(lr=0.1), swa_start=10, swa_lr=0.05, swa_freq=4)"));
        assertEquals(32, bytes("lookahead(adam)"));
        assertEquals(28, bytes("lookahead(adam, k=10)"));
        assertEquals(48, bytes("lookahead(ema(adam), k=2)"));
    }

    @Test
    void countsAChainAsTheFusedStepWithItsState() {
        assertEquals(12, bytes("chain(scale_by_learning_rate(0.1))"));
        assertEquals(20, bytes("chain(trace(0.9), scale_by_learning_rate(0.1))"));
        assertEquals(28, bytes("chain(clip_by_global_norm(1.0), scale_by_adam(), scale_by_learning_rate(0.1))"));
        assertEquals(36, bytes("chain(scale_by_adam(amsgrad=true), add_decayed_weights(0.01), scale_by_learning_rate(0.1))"));
    }

    /** A new optimizer in descent-optim needs its figure in StepTraffic, or bench step refuses it. */
    @Test
    void knowsEveryRegisteredOptimizer() {
        for (String name : Optimizers.names()) {
            if (name.equals("lbfgs")) {
                assertThrows(IllegalArgumentException.class, () -> bytes(name), "lbfgs needs a closure: no step to time");
                continue;
            }
            // composites (wrappers, chains) are built from the examples their errors give, as descent list does
            Catalog.Example example = Catalog.build(name, Optimizers::parse);
            assertTrue(example.built() != null, name + ": " + example.failure());
            int bytes = StepTraffic.bytesPerParam((OptimizerSpec) example.built());
            assertTrue(bytes >= 12 && bytes % 4 == 0, name + ": " + bytes);
        }
    }
}
