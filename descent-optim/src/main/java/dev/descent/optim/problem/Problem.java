package dev.descent.optim.problem;

import dev.descent.optim.spec.Names;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The classic two- and four-dimensional test functions that optimizer tutorials walk down, in float32
 * with analytic gradients, as {@code ./descent trace} and the conformance tests use them. The first four are
 * the {@linkplain #classic() classic set} that {@code descent compare} runs by default; the others show one
 * difficulty each (a plain bowl, many local minima, a saddle point, local next to global minima).
 *
 * <ul>
 * <li>{@code rosenbrock}: (1 − x)² + 100 (y − x²)², from (−1.5, 2); minimum 0 at (1, 1).</li>
 * <li>{@code beale}: (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², from (1, 1.5); minimum 0 at (3, 0.5).</li>
 * <li>{@code himmelblau}: (x² + y − 11)² + (x + y² − 7)², from (0, 0); four minima of 0, one at (3, 2).</li>
 * <li>{@code quadratic}: ½ Σ cᵢ wᵢ² with c = (1, 10, 100, 1000), from all ones; an ill-conditioned bowl.</li>
 * <li>{@code booth}: (x + 2y − 7)² + (2x + y − 5)², from (0, 0); minimum 0 at (1, 3), a bowl of condition number 9.</li>
 * <li>{@code rastrigin}: 20 + Σ (wᵢ² − 10 cos 2πwᵢ) in two dimensions (A = 10), from (3.2, −2.6); minimum 0 at
 *     (0, 0) among a local minimum near every integer point, and the start is in the basin of the one near (3, −3).</li>
 * <li>{@code saddle}: x² − y², from (1, 0.001); a saddle point at (0, 0) and no minimum (the loss is unbounded
 *     below along y). The plain saddle rather than the monkey saddle x³ − 3xy², because its curvature is not
 *     zero at the saddle point: it shows how fast an optimizer leaves a saddle along a small gradient.</li>
 * <li>{@code sixhumpcamel}: (4 − 2.1x² + x⁴/3) x² + xy + (4y² − 4) y², from (−1.5, 1); minimum −1.0316284535 at
 *     ±(0.0898420131, −0.7126564030), and four more local minima; the start is in the basin of the local
 *     minimum −0.2154638244 at (−1.7036, 0.7961).</li>
 * </ul>
 */
public enum Problem {
    /** Rosenbrock's banana valley. */
    ROSENBROCK(new float[] {-1.5f, 2f}) {
        @Override
        public float loss(float[] w) {
            float x = w[0];
            float y = w[1];
            float a = 1 - x;
            float b = y - x * x;
            return a * a + 100 * (b * b);
        }

        @Override
        public void gradient(float[] w, float[] g) {
            float x = w[0];
            float b = w[1] - x * x;
            g[0] = -2 * (1 - x) - 400 * x * b;
            g[1] = 200 * b;
        }
    },
    /** Beale's function, flat plateaus and a narrow valley. */
    BEALE(new float[] {1f, 1.5f}) {
        @Override
        public float loss(float[] w) {
            float x = w[0];
            float y = w[1];
            float a = 1.5f - x + x * y;
            float b = 2.25f - x + x * (y * y);
            float c = 2.625f - x + x * (y * y * y);
            return a * a + b * b + c * c;
        }

        @Override
        public void gradient(float[] w, float[] g) {
            float x = w[0];
            float y = w[1];
            float y2 = y * y;
            float y3 = y2 * y;
            float a = 1.5f - x + x * y;
            float b = 2.25f - x + x * y2;
            float c = 2.625f - x + x * y3;
            g[0] = 2 * a * (y - 1) + 2 * b * (y2 - 1) + 2 * c * (y3 - 1);
            g[1] = 2 * a * x + 2 * b * (2 * x * y) + 2 * c * (3 * x * y2);
        }
    },
    /** Himmelblau's function, four equal minima. */
    HIMMELBLAU(new float[] {0f, 0f}) {
        @Override
        public float loss(float[] w) {
            float a = w[0] * w[0] + w[1] - 11;
            float b = w[0] + w[1] * w[1] - 7;
            return a * a + b * b;
        }

        @Override
        public void gradient(float[] w, float[] g) {
            float a = w[0] * w[0] + w[1] - 11;
            float b = w[0] + w[1] * w[1] - 7;
            g[0] = 4 * w[0] * a + 2 * b;
            g[1] = 2 * a + 4 * w[1] * b;
        }
    },
    /** An axis-aligned quadratic bowl with condition number 1000. */
    QUADRATIC(new float[] {1f, 1f, 1f, 1f}) {
        private final float[] c = {1f, 10f, 100f, 1000f};

        @Override
        public float loss(float[] w) {
            float sum = 0;
            for (int i = 0; i < c.length; i++) {
                sum += c[i] * (w[i] * w[i]);
            }
            return 0.5f * sum;
        }

        @Override
        public void gradient(float[] w, float[] g) {
            for (int i = 0; i < c.length; i++) {
                g[i] = c[i] * w[i];
            }
        }
    },
    /** Booth's function, a tilted bowl. */
    BOOTH(new float[] {0f, 0f}) {
        @Override
        public float loss(float[] w) {
            float a = w[0] + 2 * w[1] - 7;
            float b = 2 * w[0] + w[1] - 5;
            return a * a + b * b;
        }

        @Override
        public void gradient(float[] w, float[] g) {
            float a = w[0] + 2 * w[1] - 7;
            float b = 2 * w[0] + w[1] - 5;
            g[0] = 2 * a + 4 * b;
            g[1] = 4 * a + 2 * b;
        }
    },
    /** Rastrigin's function in two dimensions, an egg crate of local minima around a global one. */
    RASTRIGIN(new float[] {3.2f, -2.6f}) {
        private static final double TWO_PI = 2 * Math.PI;

        @Override
        public float loss(float[] w) {
            float sum = 20;
            for (float x : w) {
                sum += x * x - 10 * (float) Math.cos(TWO_PI * x);
            }
            return sum;
        }

        @Override
        public void gradient(float[] w, float[] g) {
            for (int i = 0; i < w.length; i++) {
                g[i] = 2 * w[i] + (float) (20 * Math.PI * Math.sin(TWO_PI * w[i]));
            }
        }
    },
    /** The saddle x² − y², unbounded below. */
    SADDLE(new float[] {1f, 0.001f}) {
        @Override
        public float loss(float[] w) {
            return w[0] * w[0] - w[1] * w[1];
        }

        @Override
        public void gradient(float[] w, float[] g) {
            g[0] = 2 * w[0];
            g[1] = -2 * w[1];
        }
    },
    /** The six-hump camel function: two global and four local minima. */
    SIXHUMPCAMEL(new float[] {-1.5f, 1f}) {
        @Override
        public float loss(float[] w) {
            float x = w[0];
            float y = w[1];
            float x2 = x * x;
            float y2 = y * y;
            return (4 - 2.1f * x2 + x2 * x2 / 3) * x2 + x * y + (4 * y2 - 4) * y2;
        }

        @Override
        public void gradient(float[] w, float[] g) {
            float x = w[0];
            float y = w[1];
            float x2 = x * x;
            g[0] = 8 * x - 8.4f * x2 * x + 2 * (x2 * x2) * x + y;
            g[1] = x - 8 * y + 16 * (y * y) * y;
        }
    };

    private static final List<Problem> CLASSIC = List.of(ROSENBROCK, BEALE, HIMMELBLAU, QUADRATIC);

    private final float[] init;

    Problem(float[] init) {
        this.init = init;
    }

    /**
     * The four problems every tutorial shows (rosenbrock, beale, himmelblau, quadratic): each has a minimum of 0
     * that the classic optimizers reach from the default start, so {@code descent compare} runs them by default and
     * convergence tests use them.
     */
    public static List<Problem> classic() {
        return CLASSIC;
    }

    /** The loss at {@code w}. */
    public abstract float loss(float[] w);

    /** Writes the gradient at {@code w} into {@code g}. */
    public abstract void gradient(float[] w, float[] g);

    /** The name as the command line writes it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The number of coordinates. */
    public int dimension() {
        return init.length;
    }

    /** The conventional starting point (a copy). */
    public float[] defaultInit() {
        return init.clone();
    }

    /** The problem called {@code name} (case-insensitive), or an error listing the valid names. */
    public static Problem byName(String name) {
        List<String> names = new ArrayList<>();
        for (Problem p : values()) {
            if (p.id().equalsIgnoreCase(name)) {
                return p;
            }
            names.add(p.id());
        }
        throw new IllegalArgumentException(Names.unknown("problem", name, names));
    }
}
