package dev.descent.optim;

import dev.descent.optim.problem.Problem;

/**
 * The four {@link Problem}s in double precision, for comparisons with PyTorch's float64 runs where the
 * float32 runs are chaotic. Same formulas and starting points as {@link Problem}.
 */
enum DoubleProblem {
    /** (1 − x)² + 100 (y − x²)². */
    ROSENBROCK {
        @Override
        double loss(double[] w) {
            double a = 1 - w[0];
            double b = w[1] - w[0] * w[0];
            return a * a + 100 * (b * b);
        }

        @Override
        void gradient(double[] w, double[] g) {
            double b = w[1] - w[0] * w[0];
            g[0] = -2 * (1 - w[0]) - 400 * w[0] * b;
            g[1] = 200 * b;
        }
    },
    /** (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)². */
    BEALE {
        @Override
        double loss(double[] w) {
            double x = w[0];
            double y = w[1];
            double a = 1.5 - x + x * y;
            double b = 2.25 - x + x * (y * y);
            double c = 2.625 - x + x * (y * y * y);
            return a * a + b * b + c * c;
        }

        @Override
        void gradient(double[] w, double[] g) {
            double x = w[0];
            double y = w[1];
            double a = 1.5 - x + x * y;
            double b = 2.25 - x + x * y * y;
            double c = 2.625 - x + x * y * y * y;
            g[0] = 2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1);
            g[1] = 2 * a * x + 2 * b * (2 * x * y) + 2 * c * (3 * x * y * y);
        }
    },
    /** (x² + y − 11)² + (x + y² − 7)². */
    HIMMELBLAU {
        @Override
        double loss(double[] w) {
            double a = w[0] * w[0] + w[1] - 11;
            double b = w[0] + w[1] * w[1] - 7;
            return a * a + b * b;
        }

        @Override
        void gradient(double[] w, double[] g) {
            double a = w[0] * w[0] + w[1] - 11;
            double b = w[0] + w[1] * w[1] - 7;
            g[0] = 4 * w[0] * a + 2 * b;
            g[1] = 2 * a + 4 * w[1] * b;
        }
    },
    /** ½ Σ cᵢ wᵢ², c = (1, 10, 100, 1000). */
    QUADRATIC {
        private final double[] c = {1, 10, 100, 1000};

        @Override
        double loss(double[] w) {
            double sum = 0;
            for (int i = 0; i < c.length; i++) {
                sum += c[i] * (w[i] * w[i]);
            }
            return 0.5 * sum;
        }

        @Override
        void gradient(double[] w, double[] g) {
            for (int i = 0; i < c.length; i++) {
                g[i] = c[i] * w[i];
            }
        }
    };

    abstract double loss(double[] w);

    abstract void gradient(double[] w, double[] g);

    /** The float32 problem's starting point, widened. */
    double[] init() {
        float[] init = Problem.valueOf(name()).defaultInit();
        double[] out = new double[init.length];
        for (int i = 0; i < init.length; i++) {
            out[i] = init[i];
        }
        return out;
    }
}
