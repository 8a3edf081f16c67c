package dev.descent.lab;

import dev.descent.optim.Optimizers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertEquals(20, bytes("sgd_schedulefree"));
        assertEquals(28, bytes("adamw_schedulefree"));
        assertEquals(28, bytes("muon"));
    }

    /** A new optimizer in descent-optim needs its figure in StepTraffic, or bench step refuses it. */
    @Test
    void knowsEveryRegisteredOptimizer() {
        for (String name : Optimizers.names()) {
            boolean lrRequired = Optimizers.algorithm(name).hyperparameter("lr").required();
            int bytes = bytes(lrRequired ? name + "(lr=0.1)" : name);
            assertTrue(bytes >= 12 && bytes % 4 == 0, name + ": " + bytes);
        }
    }
}
