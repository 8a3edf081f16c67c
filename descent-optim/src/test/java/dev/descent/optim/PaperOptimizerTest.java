package dev.descent.optim;

import dev.descent.optim.problem.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static dev.descent.optim.ParamStoreTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimizers PyTorch 1.13 lacks (Lion, LAMB, LARS, AdaBelief, Yogi), which have no golden files: each
 * against its paper's rule written out by hand in double precision on a three-element parameter for three
 * steps (LAMB and LARS need the parameter's norms, so one element would not do), then their validation and
 * their convergence on the four test problems. Adafactor, FTRL, the schedule-free methods and Muon have their
 * rules checked in their own test classes ({@link AdafactorTest}, ...) and their validation and convergence
 * here. Save/load is covered by {@link StateDictTest}.
 */
class PaperOptimizerTest {
    static final double TOLERANCE = 1e-6;
    static final double[] THETA0 = {1.5, -0.8, 2.3};
    static final double[][] G = {{0.7, -0.3, 1.1}, {-0.05, 0.4, 0.9}, {0.6, 0.2, -1.3}};

    /** Steps {@code spec} on one parameter starting at THETA0 with gradients G; returns θ after each step. */
    static double[][] run(String spec) {
        float[] init = new float[THETA0.length];
        for (int i = 0; i < init.length; i++) {
            init[i] = (float) THETA0[i];
        }
        Param p = ParamStore.of("w", init).param(0);
        Optimizer opt = Optimizers.create(spec, List.of(p));
        double[][] out = new double[G.length][THETA0.length];
        for (int t = 0; t < G.length; t++) {
            float[] g = new float[THETA0.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) G[t][i];
            }
            p.setGrad(g);
            opt.step();
            for (int i = 0; i < g.length; i++) {
                out[t][i] = p.values()[i];
            }
        }
        return out;
    }

    static void check(String spec, double[][] expected) {
        assertClose(spec, expected, run(spec), TOLERANCE);
    }

    /** Fails listing every element whose relative error exceeds {@code tolerance}. */
    static void assertClose(String what, double[][] expected, double[][] actual, double tolerance) {
        List<String> bad = new ArrayList<>();
        for (int t = 0; t < expected.length; t++) {
            for (int i = 0; i < expected[t].length; i++) {
                double error = Math.abs(actual[t][i] - expected[t][i]) / Math.max(Math.abs(expected[t][i]), 1e-12);
                if (!(error <= tolerance)) {
                    bad.add("step " + (t + 1) + " element " + i + ": expected " + expected[t][i] + " but was "
                            + actual[t][i] + " (relative error " + error + ")");
                }
            }
        }
        assertTrue(bad.isEmpty(), what + ": " + bad);
    }

    private static double norm(double[] x) {
        double sum = 0;
        for (double xi : x) {
            sum += xi * xi;
        }
        return Math.sqrt(sum);
    }

    /** Chen et al. 2023, Algorithm 2: the sign of β₁-interpolation moves θ by exactly lr; m keeps β₂. */
    @Test
    void lion() {
        double lr = 0.1;
        double wd = 0.5;
        double b1 = 0.9;
        double b2 = 0.99;
        double[] theta = THETA0.clone();
        double[] m = new double[3];
        double[][] expected = new double[3][];
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 3; i++) {
                double g = G[t][i];
                double c = b1 * m[i] + (1 - b1) * g;
                theta[i] = theta[i] * (1 - lr * wd) - lr * Math.signum(c);
                m[i] = b2 * m[i] + (1 - b2) * g;
            }
            expected[t] = theta.clone();
        }
        // Step 2, element 0: c = 0.9·0.007 − 0.1·0.05 > 0 although the gradient is negative.
        check("lion(lr=0.1, betas=(0.9, 0.99), weight_decay=0.5)", expected);
    }

    @Test
    void lionTreatsAZeroDirectionAsNoMove() {
        Param p = ParamStore.of("w", 1f, 2f).param(0);
        Optimizer opt = Optimizers.create("lion(lr=0.1)", List.of(p));
        p.setGrad(0f, 3f);
        opt.step();
        assertEquals(1f, p.values()[0]);
        assertEquals(1.9f, p.values()[1]);
    }

    /** Zhuang et al. 2020, Algorithm 2: s tracks (g − m)², with ε added inside s and kept there. */
    private static double[][] adabelief(double lr, double wd, boolean decouple, boolean fixed) {
        double b1 = 0.8;
        double b2 = 0.9;
        double eps = 1e-3;
        double[] theta = THETA0.clone();
        double[] m = new double[3];
        double[] s = new double[3];
        double[][] expected = new double[3][];
        for (int t = 1; t <= 3; t++) {
            for (int i = 0; i < 3; i++) {
                double g = G[t - 1][i] + (decouple ? 0 : wd * theta[i]);
                if (decouple) {
                    theta[i] *= 1 - (fixed ? 1 : lr) * wd;
                }
                m[i] = b1 * m[i] + (1 - b1) * g;
                s[i] = b2 * s[i] + (1 - b2) * (g - m[i]) * (g - m[i]) + eps;
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double sHat = s[i] / (1 - Math.pow(b2, t));
                theta[i] -= lr * mHat / (Math.sqrt(sHat) + eps);
            }
            expected[t - 1] = theta.clone();
        }
        return expected;
    }

    @Test
    void adabelief() {
        check("adabelief(lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.2, rectify=false)", adabelief(0.1, 0.2, true, false));
        check("adabelief(lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.2, fixed_decay=true, rectify=false)",
                adabelief(0.1, 0.2, true, true));
        check("adabelief(lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.2, weight_decouple=false, rectify=false)",
                adabelief(0.1, 0.2, false, false));
    }

    /** Zaheer et al. 2018, Algorithm 2, with Adam's bias correction as torch_optimizer.Yogi; m and v start at the initial value. */
    @Test
    void yogi() {
        double lr = 0.1;
        double b1 = 0.8;
        double b2 = 0.9;
        double eps = 0.01;
        double init = 0.5;
        double wd = 0.1;
        double[] theta = THETA0.clone();
        double[] m = {init, init, init};
        double[] v = {init, init, init};
        double[][] expected = new double[3][];
        for (int t = 1; t <= 3; t++) {
            for (int i = 0; i < 3; i++) {
                double g = G[t - 1][i] + wd * theta[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = v[i] - (1 - b2) * Math.signum(v[i] - g * g) * g * g;
                theta[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps);
            }
            expected[t - 1] = theta.clone();
        }
        // v grows for the elements with g² > v (element 2 at every step) and shrinks for the others.
        check("yogi(lr=0.1, betas=(0.8, 0.9), eps=0.01, initial_accumulator=0.5, weight_decay=0.1)", expected);
    }

    /** You et al. 2020, Algorithm 2 (φ the identity): the Adam direction plus λθ, scaled to lr · ‖θ‖ / ‖r‖. */
    private static double[][] lamb(double lr, double wd, boolean correct) {
        double b1 = 0.8;
        double b2 = 0.9;
        double eps = 1e-3;
        double[] theta = THETA0.clone();
        double[] m = new double[3];
        double[] v = new double[3];
        double[][] expected = new double[3][];
        for (int t = 1; t <= 3; t++) {
            double[] r = new double[3];
            for (int i = 0; i < 3; i++) {
                double g = G[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = correct ? m[i] / (1 - Math.pow(b1, t)) : m[i];
                double vHat = correct ? v[i] / (1 - Math.pow(b2, t)) : v[i];
                r[i] = mHat / (Math.sqrt(vHat) + eps) + wd * theta[i];
            }
            double trust = norm(theta) / norm(r);
            for (int i = 0; i < 3; i++) {
                theta[i] -= lr * trust * r[i];
            }
            expected[t - 1] = theta.clone();
        }
        return expected;
    }

    @Test
    void lamb() {
        check("lamb(lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.3)", lamb(0.1, 0.3, true));
        check("lamb(lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.3, bias_correction=false)", lamb(0.1, 0.3, false));
    }

    @Test
    void lambTakesTheUnscaledStepFromZeroWeights() {
        Param p = ParamStore.of("w", 0f, 0f).param(0);
        Optimizer opt = Optimizers.create("lamb(lr=0.1, eps=0)", List.of(p));
        p.setGrad(2f, -0.5f);
        opt.step();
        // r = m̂/√v̂ = sign(g) at step 1, and q = 1 since ‖θ‖ = 0.
        assertEquals(-0.1f, p.values()[0], 1e-7);
        assertEquals(0.1f, p.values()[1], 1e-7);
    }

    /** You et al. 2017, Algorithm 1, with timm's ε and PyTorch SGD's momentum (the first step copies). */
    private static double[][] lars(double lr, double mu, double wd, double eta, boolean nesterov, boolean clip) {
        double eps = 1e-8;
        double[] theta = THETA0.clone();
        double[] b = new double[3];
        double[][] expected = new double[3][];
        for (int t = 0; t < 3; t++) {
            double trust = eta * norm(theta) / (norm(G[t]) + wd * norm(theta) + eps);
            if (clip) {
                trust = Math.min(trust / lr, 1);
            }
            for (int i = 0; i < 3; i++) {
                double g = trust * (G[t][i] + wd * theta[i]);
                b[i] = t == 0 ? g : mu * b[i] + g;
                theta[i] -= lr * (nesterov ? g + mu * b[i] : b[i]);
            }
            expected[t] = theta.clone();
        }
        return expected;
    }

    @Test
    void lars() {
        check("lars(lr=0.5, momentum=0.9, weight_decay=0.01, trust_coefficient=0.1)", lars(0.5, 0.9, 0.01, 0.1, false, false));
        check("lars(lr=0.5, momentum=0.9, weight_decay=0.01, trust_coefficient=0.1, nesterov=true)", lars(0.5, 0.9, 0.01, 0.1, true, false));
        check("lars(lr=0.5, momentum=0.9, always_adapt=true, trust_coefficient=0.1)", lars(0.5, 0.9, 0, 0.1, false, false));
        // trust_clip: q/lr is 1.05 and 1.08 (clipped to 1) at steps 1 and 2, 0.46 at step 3.
        check("lars(lr=0.5, momentum=0.9, weight_decay=0.01, trust_coefficient=0.25, trust_clip=true)", lars(0.5, 0.9, 0.01, 0.25, false, true));
    }

    @Test
    void larsWithoutWeightDecayIsSgdUnlessAlwaysAdapt() {
        double[][] sgd = run("sgd(lr=0.1, momentum=0.9)");
        double[][] lars = run("lars(lr=0.1, momentum=0.9)");
        for (int t = 0; t < sgd.length; t++) {
            assertEquals(java.util.Arrays.toString(sgd[t]), java.util.Arrays.toString(lars[t]), "step " + (t + 1));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "lion(lr=-0.1) | lion: | lr=-0.1 | must be >= 0",
        "lion(weight_decay=-1) | lion: | weight_decay=-1 | must be >= 0",
        "lion(betas=(1.0, 0.99)) | lion: | element 0 (1.0) | must be in [0, 1)",
        "lion(betas=(0.9, -0.5)) | lion: | element 1 (-0.5) | must be in [0, 1)",
        "lamb(lr=-0.1) | lamb: | lr=-0.1 | must be >= 0",
        "lamb(eps=-1e-6) | lamb: | eps=-1.0E-6 | must be >= 0",
        "lamb(weight_decay=-0.01) | lamb: | weight_decay=-0.01 | must be >= 0",
        "lamb(betas=(0.9, 1)) | lamb: | element 1 (1.0) | must be in [0, 1)",
        "lamb(bias_correction=1) | lamb: | bias_correction=1 | must be true or false",
        "lars(lr=-1) | lars: | lr=-1 | must be >= 0",
        "lars(momentum=-0.9) | lars: | momentum=-0.9 | must be >= 0",
        "lars(weight_decay=-0.01) | lars: | weight_decay=-0.01 | must be >= 0",
        "lars(trust_coefficient=-0.001) | lars: | trust_coefficient=-0.001 | must be >= 0",
        "lars(eps=-1e-8) | lars: | eps=-1.0E-8 | must be >= 0",
        "lars(nesterov=true) | lars: | nesterov=true | requires momentum > 0 and dampening=0",
        "lars(momentum=0.9, dampening=0.1, nesterov=true) | lars: | dampening=0.1 | requires momentum > 0 and dampening=0",
        "adabelief(lr=-0.001) | adabelief: | lr=-0.001 | must be >= 0",
        "adabelief(eps=-1e-16) | adabelief: | eps=-1.0E-16 | must be >= 0",
        "adabelief(weight_decay=-0.1) | adabelief: | weight_decay=-0.1 | must be >= 0",
        "adabelief(betas=(-0.1, 0.999)) | adabelief: | element 0 (-0.1) | must be in [0, 1)",
        "adabelief(weight_decouple=none) | adabelief: | weight_decouple= | must be true or false",
        "yogi(lr=-0.01) | yogi: | lr=-0.01 | must be >= 0",
        "yogi(eps=-0.001) | yogi: | eps=-0.001 | must be >= 0",
        "yogi(initial_accumulator=-1e-6) | yogi: | initial_accumulator=-1.0E-6 | must be >= 0",
        "yogi(weight_decay=-0.1) | yogi: | weight_decay=-0.1 | must be >= 0",
        "yogi(betas=(0.9, 1.5)) | yogi: | element 1 (1.5) | must be in [0, 1)",
        "yogi(lr=inf) | yogi: | lr=inf | must be a finite number",
        "lamb(amsgrad=true) | unknown key for lamb 'amsgrad' | bias_correction | ''",
        "adafactor(lr=-0.01) | adafactor: | lr=-0.01 | must be >= 0",
        "adafactor(eps=(1e-30, -1e-3)) | adafactor: | element 1 (-0.001) | must be >= 0",
        "adafactor(eps=1e-30) | adafactor: | eps=1.0E-30 | must be a tuple of 2 numbers",
        "adafactor(clip_threshold=0) | adafactor: | clip_threshold=0 | must be > 0",
        "adafactor(decay_rate=0.5) | adafactor: | decay_rate=0.5 | must be <= 0",
        "adafactor(beta1=1) | adafactor: | beta1=1 | must be in [0, 1)",
        "adafactor(weight_decay=-0.1) | adafactor: | weight_decay=-0.1 | must be >= 0",
        "adafactor(relative_step=false, warmup_init=true) | adafactor: | warmup_init=true | requires relative_step=true",
        "ftrl(lr=0) | ftrl: | lr=0 | must be > 0",
        "ftrl(learning_rate_power=0.5) | ftrl: | learning_rate_power=0.5 | must be <= 0",
        "ftrl(initial_accumulator_value=-0.1) | ftrl: | initial_accumulator_value=-0.1 | must be >= 0",
        "ftrl(l1_regularization_strength=-1) | ftrl: | l1_regularization_strength=-1 | must be >= 0",
        "ftrl(l2_regularization_strength=-1) | ftrl: | l2_regularization_strength=-1 | must be >= 0",
        "ftrl(l2_shrinkage_regularization_strength=-1) | ftrl: | l2_shrinkage_regularization_strength=-1 | must be >= 0",
        "ftrl(beta=-1) | ftrl: | beta=-1 | must be >= 0",
        "ftrl(learning_rate=0.1) | unknown key for ftrl 'learning_rate' | learning_rate_power | ''",
        "sgd_schedulefree(lr=-1) | sgd_schedulefree: | lr=-1 | must be >= 0",
        "sgd_schedulefree(momentum=0) | sgd_schedulefree: | momentum=0 | must be in (0, 1)",
        "sgd_schedulefree(momentum=1) | sgd_schedulefree: | momentum=1 | must be in (0, 1)",
        "sgd_schedulefree(warmup_steps=2.5) | sgd_schedulefree: | warmup_steps=2.5 | must be an integer >= 0",
        "sgd_schedulefree(r=-1) | sgd_schedulefree: | r=-1 | must be >= 0",
        "sgd_schedulefree(weight_lr_power=-2) | sgd_schedulefree: | weight_lr_power=-2 | must be >= 0",
        "adamw_schedulefree(betas=(0, 0.999)) | adamw_schedulefree: | element 0 (0.0) | must be > 0",
        "adamw_schedulefree(betas=(0.9, 1)) | adamw_schedulefree: | element 1 (1.0) | must be in [0, 1)",
        "adamw_schedulefree(eps=-1e-8) | adamw_schedulefree: | eps=-1.0E-8 | must be >= 0",
        "adamw_schedulefree(warmup_steps=-1) | adamw_schedulefree: | warmup_steps=-1 | must be an integer >= 0",
        "muon(lr=-0.02) | muon: | lr=-0.02 | must be >= 0",
        "muon(momentum=1) | muon: | momentum=1 | must be in [0, 1)",
        "muon(ns_steps=2.5) | muon: | ns_steps=2.5 | must be an integer >= 0",
        "muon(ns_steps=-1) | muon: | ns_steps=-1 | must be an integer >= 0",
        "muon(weight_decay=-0.1) | muon: | weight_decay=-0.1 | must be >= 0",
        "muon(adamw_lr=-1) | muon: | adamw_lr=-1 | must be >= 0",
        "muon(adamw_betas=(0.9, 1.0)) | muon: | element 1 (1.0) | must be in [0, 1)",
        "muon(adamw_eps=-1) | muon: | adamw_eps=-1 | must be >= 0",
        "muon(use_muon=1) | muon: | use_muon=1 | must be true or false",
    })
    void aBadValueIsRejectedNamingTheKeyTheValueAndTheRule(String spec, String owner, String shown, String rule) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create(spec, ParamStore.of("w", 1f, 2f).params()), spec + " should be rejected");
        assertMentions(e, owner, shown, rule);
    }

    @Test
    void theNamesAreRegisteredAndTheDefaultsAreTheReferences() {
        for (String name : List.of("lion", "lamb", "lars", "adabelief", "yogi", "adafactor", "ftrl", "sgd_schedulefree",
                "adamw_schedulefree", "muon")) {
            assertTrue(Optimizers.names().contains(name), name);
        }
        assertEquals("lion(lr=1.0E-4, betas=(0.9, 0.99), weight_decay=0.0)", Optimizers.parse("lion").toString());
        assertEquals("lamb(lr=0.001, betas=(0.9, 0.999), eps=1.0E-6, weight_decay=0.0, bias_correction=true)",
                Optimizers.parse("lamb").toString());
        assertEquals("lars(lr=1.0, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=false, trust_coefficient=0.001, "
                + "eps=1.0E-8, trust_clip=false, always_adapt=false)", Optimizers.parse("lars").toString());
        assertEquals("adabelief(lr=0.001, betas=(0.9, 0.999), eps=1.0E-16, weight_decay=0.0, amsgrad=false, weight_decouple=true, "
                + "fixed_decay=false, rectify=true, degenerated_to_sgd=true)", Optimizers.parse("adabelief").toString());
        assertEquals("yogi(lr=0.01, betas=(0.9, 0.999), eps=0.001, initial_accumulator=1.0E-6, weight_decay=0.0)",
                Optimizers.parse("yogi").toString());
        assertEquals("adafactor(lr=0.01, eps=(1.0E-30, 0.001), clip_threshold=1.0, decay_rate=-0.8, beta1=0.0, weight_decay=0.0, "
                + "scale_parameter=true, relative_step=true, warmup_init=false)", Optimizers.parse("adafactor").toString());
        assertEquals("ftrl(lr=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1, l1_regularization_strength=0.0, "
                + "l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0, beta=0.0)", Optimizers.parse("ftrl").toString());
        assertEquals("sgd_schedulefree(lr=1.0, momentum=0.9, weight_decay=0.0, warmup_steps=0, r=0.0, weight_lr_power=2.0)",
                Optimizers.parse("sgd_schedulefree").toString());
        assertEquals("adamw_schedulefree(lr=0.0025, betas=(0.9, 0.999), eps=1.0E-8, weight_decay=0.0, warmup_steps=0, r=0.0, "
                + "weight_lr_power=2.0)", Optimizers.parse("adamw_schedulefree").toString());
        assertEquals("muon(lr=0.02, momentum=0.95, nesterov=true, ns_steps=5, weight_decay=0.0, adamw_lr=3.0E-4, "
                + "adamw_betas=(0.95, 0.95), adamw_eps=1.0E-8, use_muon=true)", Optimizers.parse("muon").toString());
    }

    /**
     * 500 steps (2000 for schedule-free SGD, whose average of plain SGD iterates is slow on Rosenbrock's valley)
     * with the problem's analytic gradients cut the loss at least tenfold on each of the four problems, at the
     * learning rates given (found by a sweep over 1e-3..30; each works on all four). Schedule-free methods are
     * measured at their answer, the averaged point (after eval()). The problems are vectors, so Adafactor runs
     * unfactored and Muon its AdamW backup here; their matrix paths have their own tests.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "lion(lr=0.01) | 500",
        "lamb(lr=0.03) | 500",
        "lars(lr=1, momentum=0.9, weight_decay=1e-4) | 500",
        "adabelief(lr=0.1, rectify=false) | 500",
        "adabelief(lr=0.1, degenerated_to_sgd=false) | 500",
        "yogi(lr=0.1) | 500",
        "adafactor(lr=1) | 500",
        "ftrl(lr=1.5) | 500",
        "sgd_schedulefree(lr=0.003) | 2000",
        "adamw_schedulefree(lr=0.1) | 500",
        "muon(adamw_lr=0.03) | 500",
    })
    void convergesOnTheFourProblems(String spec, int steps) {
        assertConvergesOnTheFourProblems(spec, steps);
    }

    /**
     * {@code steps} steps of {@code spec} on each classic problem cut the loss at least tenfold, measured where
     * the method's answer is: a schedule-free method's averaged point (after eval()), a weight average's average.
     */
    static void assertConvergesOnTheFourProblems(String spec, int steps) {
        List<String> bad = new ArrayList<>();
        for (Problem problem : Problem.classic()) {
            Param p = ParamStore.of("w", problem.defaultInit()).param(0);
            Optimizer opt = Optimizers.create(spec, List.of(p));
            float[] g = new float[problem.dimension()];
            float start = problem.loss(p.values());
            for (int s = 0; s < steps; s++) {
                problem.gradient(p.values(), g);
                p.setGrad(g);
                opt.step();
            }
            if (opt instanceof ScheduleFree sf) {
                sf.eval();
            }
            float end = problem.loss(opt instanceof WeightAveraging avg ? avg.averaged(p) : p.values());
            if (!(end < start / 10)) {
                bad.add(problem.id() + ": loss " + start + " -> " + end);
            }
        }
        assertTrue(bad.isEmpty(), spec + ": " + bad);
    }
}
