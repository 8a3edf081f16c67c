package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.descent.optim.PaperOptimizerTest.G;
import static dev.descent.optim.PaperOptimizerTest.THETA0;
import static dev.descent.optim.PaperOptimizerTest.assertClose;
import static dev.descent.optim.PaperOptimizerTest.check;
import static dev.descent.optim.ParamStoreTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schedule-free SGD and AdamW against Defazio et al. 2024, Algorithm 1, written out in double with the three
 * sequences x, y and z kept apart (the optimizers keep only y and z); then the train/eval switch and its
 * save and restore.
 */
class ScheduleFreeTest {
    /** The paper's sequences: returns y after each of three steps, then x after the last, as row 3. */
    private static double[][] paper(boolean adam, double lr, double beta, double beta2, double eps, double wd,
                                    double warmup, double r, double power) {
        double[] x = THETA0.clone();
        double[] z = THETA0.clone();
        double[] y = THETA0.clone();
        double[] v = new double[3];
        double lrMax = -1;
        double weightSum = 0;
        double[][] out = new double[4][];
        for (int t = 1; t <= 3; t++) {
            double gamma = lr * (t - 1 < warmup ? t / warmup : 1);
            lrMax = Math.max(lrMax, gamma);
            double weight = Math.pow(t, r) * Math.pow(lrMax, power);
            weightSum += weight;
            double c = weight / weightSum;
            for (int i = 0; i < 3; i++) {
                double g = G[t - 1][i];
                double d;
                if (adam) {
                    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                    d = g / (Math.sqrt(v[i] / (1 - Math.pow(beta2, t))) + eps) + wd * y[i];
                } else {
                    d = g + wd * y[i];
                }
                z[i] -= gamma * d;
                x[i] = (1 - c) * x[i] + c * z[i];
                y[i] = (1 - beta) * z[i] + beta * x[i];
            }
            out[t - 1] = y.clone();
        }
        out[3] = x.clone();
        return out;
    }

    private static double[][] steps(double[][] paper) {
        return new double[][] {paper[0], paper[1], paper[2]};
    }

    @Test
    void sgdFollowsThePaper() {
        check("sgd_schedulefree(lr=0.1, momentum=0.8)", steps(paper(false, 0.1, 0.8, 0, 0, 0, 0, 0, 2)));
        check("sgd_schedulefree(lr=0.1, momentum=0.8, weight_decay=0.2, warmup_steps=2, r=1, weight_lr_power=1)",
                steps(paper(false, 0.1, 0.8, 0, 0, 0.2, 2, 1, 1)));
    }

    @Test
    void adamwFollowsThePaper() {
        check("adamw_schedulefree(lr=0.1, betas=(0.8, 0.9), eps=1e-3)", steps(paper(true, 0.1, 0.8, 0.9, 1e-3, 0, 0, 0, 2)));
        check("adamw_schedulefree(lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.3, warmup_steps=5, r=0.5)",
                steps(paper(true, 0.1, 0.8, 0.9, 1e-3, 0.3, 5, 0.5, 2)));
    }

    /** Without warmup and with r = 0 every weight is lr², so x is the plain average of z₁..z_t. */
    @Test
    void withoutWarmupTheAverageIsUniform() {
        double[][] p = paper(false, 0.1, 0.8, 0, 0, 0, 0, 0, 2);
        double[] z = THETA0.clone();
        double[] sum = new double[3];
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 3; i++) {
                z[i] -= 0.1 * G[t][i];
                sum[i] += z[i];
            }
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(sum[i] / 3, p[3][i], 1e-12);
        }
    }

    private static Optimizer stepped(String spec, Param p) {
        Optimizer opt = Optimizers.create(spec, List.of(p));
        for (double[] g : G) {
            float[] gf = new float[3];
            for (int i = 0; i < 3; i++) {
                gf[i] = (float) g[i];
            }
            p.setGrad(gf);
            opt.step();
        }
        return opt;
    }

    private static Param param() {
        return ParamStore.of("w", (float) THETA0[0], (float) THETA0[1], (float) THETA0[2]).param(0);
    }

    private static double[][] values(Param p) {
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            out[i] = p.values()[i];
        }
        return new double[][] {out};
    }

    @Test
    void evalMovesTheParameterToTheAverageAndTrainMovesItBack() {
        for (String spec : List.of("sgd_schedulefree(lr=0.1, momentum=0.8)", "adamw_schedulefree(lr=0.1, betas=(0.8, 0.9), eps=1e-3)")) {
            boolean adam = spec.startsWith("adamw");
            double[][] expected = paper(adam, 0.1, 0.8, 0.9, 1e-3, 0, 0, 0, 2);
            Param p = param();
            ScheduleFree opt = (ScheduleFree) stepped(spec, p);
            assertTrue(opt.isTraining());
            opt.eval();
            assertFalse(opt.isTraining());
            assertClose(spec + " in eval mode", new double[][] {expected[3]}, values(p), 1e-6);
            opt.eval();
            assertClose(spec + " after a second eval()", new double[][] {expected[3]}, values(p), 1e-6);
            opt.train();
            assertClose(spec + " back in train mode", new double[][] {expected[2]}, values(p), 1e-6);
            assertTrue(opt.isTraining());
        }
    }

    @Test
    void stepInEvalModeIsRefused() {
        Param p = param();
        ScheduleFree opt = (ScheduleFree) stepped("sgd_schedulefree(lr=0.1)", p);
        opt.eval();
        float[] before = p.values();
        p.setGrad(1f, 1f, 1f);
        IllegalStateException e = assertThrows(IllegalStateException.class, opt::step);
        assertMentions(e, "sgd_schedulefree", "eval mode", "train()");
        assertArrayEquals(before, p.values());
        boolean[] evaluated = {false};
        assertThrows(IllegalStateException.class, () -> opt.step(() -> {
            evaluated[0] = true;
            return 0;
        }));
        assertFalse(evaluated[0], "the closure is not evaluated in eval mode");
    }

    @Test
    void aParameterWithoutStateIsNotMovedByTheSwitch() {
        ParamStore store = ParamStore.builder().add("a", 2).add("b", 2).build();
        store.param("a").set(1f, 2f);
        store.param("b").set(3f, 4f);
        ScheduleFree opt = (ScheduleFree) Optimizers.create("sgd_schedulefree(lr=0.1)", store.params());
        store.param("a").setGrad(1f, -1f);
        opt.step();
        opt.eval();
        assertArrayEquals(new float[] {3f, 4f}, store.param("b").values());
        assertEquals(1, opt.stateDict().state().size(), "eval() creates no state for b");
    }

    @Test
    void theModeIsSavedAndRestored() {
        Param p = param();
        ScheduleFree opt = (ScheduleFree) stepped("adamw_schedulefree(lr=0.1, betas=(0.8, 0.9))", p);
        opt.eval();
        StateDict saved = opt.stateDict();
        assertEquals(false, saved.paramGroups().get(0).get("train_mode"));
        float[] x = p.values();

        Param q = ParamStore.of("w", x).param(0);
        ScheduleFree fresh = (ScheduleFree) Optimizers.create("adamw_schedulefree", List.of(q));
        assertTrue(fresh.isTraining());
        fresh.loadStateDict(saved);
        assertFalse(fresh.isTraining());
        assertEquals(0.1, fresh.lr());
        fresh.train();
        opt.train();
        assertArrayEquals(p.values(), q.values());
        p.setGrad(0.3f, -0.2f, 0.1f);
        q.setGrad(0.3f, -0.2f, 0.1f);
        opt.step();
        fresh.step();
        assertArrayEquals(p.values(), q.values());
    }

    @Test
    void aStateDictWithoutTheModeIsRejected() {
        Param p = param();
        Optimizer opt = stepped("sgd_schedulefree(lr=0.1)", p);
        StateDict saved = opt.stateDict();
        List<Map<String, Object>> groups = saved.paramGroups();
        groups.get(0).remove("train_mode");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.loadStateDict(new StateDict(groups, saved.state())));
        assertMentions(e, "group 0", "lacks 'train_mode'");
        groups.get(0).put("train_mode", 1.0);
        e = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(new StateDict(groups, saved.state())));
        assertMentions(e, "train_mode=1.0", "expected a boolean");
    }
}
