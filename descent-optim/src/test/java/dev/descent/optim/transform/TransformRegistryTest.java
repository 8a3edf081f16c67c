package dev.descent.optim.transform;

import dev.descent.optim.Hyperparameter;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Param;
import dev.descent.optim.ParamStore;
import dev.descent.optim.problem.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One suite over every registered transform: it parses, writes itself back, and descends on the quadratic bowl. */
class TransformRegistryTest {
    static List<String> names() {
        return Transforms.names();
    }

    /** A descent chain holding {@code name} with values that make every transform act. */
    private static String chainWith(String name) {
        return switch (name) {
            case "scale_by_learning_rate" -> "chain(scale_by_learning_rate(0.001))";
            case "soft_threshold" -> "chain(scale_by_learning_rate(0.001), soft_threshold(0.1))";
            case "clip_by_global_norm" -> "chain(clip_by_global_norm(5.0), scale_by_learning_rate(0.001))";
            case "clip" -> "chain(clip(2.0), scale_by_learning_rate(0.001))";
            case "scale" -> "chain(scale(0.5), scale_by_learning_rate(0.001))";
            case "add_decayed_weights", "add_l2", "add_l1" -> "chain(" + name + "(0.1), scale_by_learning_rate(0.001))";
            case "scale_by_lr_decay" -> "chain(scale_by_lr_decay(0.01), scale_by_learning_rate(0.001))";
            case "scale_by_schedule" -> "chain(scale_by_schedule(steplr(step_size=10, gamma=0.5)), scale_by_learning_rate(0.001))";
            case "apply_if_finite" -> "chain(apply_if_finite(3), scale_by_learning_rate(0.001))";
            case "scale_by_adadelta" -> "chain(scale_by_adadelta, scale_by_learning_rate(1.0))";
            case "scale_by_rprop" -> "chain(scale_by_rprop(lr=0.001), scale(-1))";
            case "scale_by_lars" -> "chain(scale_by_lars(weight_decay=0.01, trust_coefficient=0.01, trust_clip=true), "
                    + "scale_by_learning_rate(0.1))";
            case "scale_by_trust_ratio" -> "chain(scale_by_trust_ratio(trust_coefficient=0.01), scale_by_learning_rate(0.1))";
            default -> "chain(" + name + ", scale_by_learning_rate(0.001))";
        };
    }

    @ParameterizedTest
    @MethodSource("names")
    void parsesWritesItselfBackAndDescends(String name) {
        OptimizerSpec spec = Optimizers.parse(chainWith(name));
        assertEquals(spec.toString(), Optimizers.parse(spec.toString()).toString(), name + ": the canonical text parses back");
        Problem bowl = Problem.QUADRATIC;
        ParamStore store = ParamStore.builder().add("w", 2, 2).build();  // a matrix, so that centralize acts
        Param w = store.param(0);
        w.set(bowl.defaultInit());
        Optimizer opt = spec.build(store.params());
        float[] g = new float[4];
        float start = bowl.loss(w.values());
        for (int s = 0; s < 50; s++) {
            bowl.gradient(w.values(), g);
            w.setGrad(g);
            opt.step();
        }
        float end = bowl.loss(w.values());
        assertTrue(Float.isFinite(end) && end < start, name + ": loss " + start + " -> " + end);
        assertEquals(50L, ((Number) opt.stateDict().state().get(0).get("step")).longValue());
    }

    @ParameterizedTest
    @MethodSource("names")
    void aPositionalArgumentSetsTheDeclaredHyperparameterOrIsRefused(String name) {
        Transform t = Transforms.get(name);
        if (t.positional() == null) {
            assertThrows(IllegalArgumentException.class, () -> Optimizers.parse("chain(" + name + "(0.5), scale(-1))"));
            return;
        }
        Hyperparameter h = t.hyperparameters().get(0);
        assertEquals(t.positional(), h.name(), name + ": the positional hyperparameter is the first one");
        String tail = name.equals("soft_threshold") ? "" : ", scale(-1)";
        String head = name.equals("soft_threshold") ? "scale_by_learning_rate(0.1), " : "";
        String value = h.kind() == Hyperparameter.Kind.SPEC ? "exponentiallr(gamma=0.5)" : h.kind() == Hyperparameter.Kind.INTEGER ? "3" : "0.5";
        assertEquals(Optimizers.parse("chain(" + head + name + "(" + h.name() + "=" + value + ")" + tail + ")").toString(),
                Optimizers.parse("chain(" + head + name + "(" + value + ")" + tail + ")").toString());
    }

    @Test
    void namesAreVerbPhrasesInSnakeCaseAndLookupIgnoresCase() {
        for (String name : Transforms.names()) {
            assertTrue(name.matches("[a-z][a-z0-9_]*"), name);
            assertEquals(name, Transforms.get(name.toUpperCase(java.util.Locale.ROOT)).name());
        }
        assertEquals(34, Transforms.names().size(), Transforms.names().toString());
    }
}
