package dev.descent.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * The iterations of one L-BFGS step as PyTorch 1.13's {@code torch.optim.LBFGS.step} runs them, with its
 * strong-Wolfe line search and cubic interpolation, over flat vectors of type {@code V} in the precision
 * an {@link Arithmetic} gives: {@code float[]} for descent's optimizer, {@code double[]} for float64 runs.
 *
 * <p>PyTorch mixes Python floats (double) with 0-dimensional tensors (float32 for float32 parameters) in
 * its scalar arithmetic: the loss, {@code lr} and the constants are Python floats, dot products, norms and
 * the first step size are tensors, and a tensor combined with a Python float rounds the float to the
 * tensor's precision first. {@link Num} keeps track of which is which, so that every comparison (the
 * branch taken) and every step length come out as PyTorch's. This class holds the state that PyTorch
 * keeps between steps ({@code d}, {@code t}, {@code old_dirs}, {@code old_stps}, {@code ro},
 * {@code H_diag}, {@code prev_flat_grad}, {@code prev_loss}, {@code n_iter}, {@code func_evals}).
 */
final class LbfgsSearch<V> {
    /** The function being minimized, seen through its flat point and gradient. */
    interface Objective<V> {
        /** Evaluates the loss at the current point and leaves the gradient ready for {@link #gradient()}. */
        double evaluate();

        /** A fresh flat copy of the gradient at the last evaluated point (zeros where a parameter has none). */
        V gradient();

        /** Moves the point by {@code t * d}, {@code t} rounded to the working precision, as one fused multiply-add. */
        void move(double t, V d);

        /** A copy of the point. */
        V point();

        /** Restores a point {@link #point()} returned. */
        void setPoint(V x);
    }

    /** The settings of one step: a group's values. */
    record Settings(double lr, long maxIter, long maxEval, double toleranceGrad, double toleranceChange,
                    long historySize, boolean strongWolfe) {
    }

    /** Vector and scalar arithmetic in one precision, rounding where PyTorch's kernels round. */
    interface Arithmetic<V> {
        /** Rounds a scalar to a tensor of this precision. */
        double round(double x);

        int length(V a);

        V copy(V a);

        /** Copies {@code from} into {@code to}, arrays of the same length. */
        default void copyInto(V from, V to) {
            System.arraycopy(from, 0, to, 0, length(from));
        }

        V negated(V a);

        /** {@code a - b}. */
        V minus(V a, V b);

        /** {@code a * round(s)}. */
        V times(V a, double s);

        /** {@code y += round(alpha) * x}, fused. */
        void addScaled(V y, double alpha, V x);

        /** The dot product as PyTorch's {@code dot}: products rounded, summed in double, then rounded. */
        double dot(V a, V b);

        /** {@code max |a|} (NaN if any element is NaN). */
        default double absMax(V a) {
            return absMaxTimes(a, 1);
        }

        /** {@code max |a * round(s)|}. */
        double absMaxTimes(V a, double s);

        /** {@code sum |a|}, summed in order in this precision. */
        double absSum(V a);
    }

    /** float32 vectors, as PyTorch computes on float32 parameters. */
    static final Arithmetic<float[]> FLOAT32 = new Arithmetic<>() {
        @Override
        public double round(double x) {
            return (float) x;
        }

        @Override
        public int length(float[] a) {
            return a.length;
        }

        @Override
        public float[] copy(float[] a) {
            return a.clone();
        }

        @Override
        public float[] negated(float[] a) {
            float[] out = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = -a[i];
            }
            return out;
        }

        @Override
        public float[] minus(float[] a, float[] b) {
            float[] out = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i] - b[i];
            }
            return out;
        }

        @Override
        public float[] times(float[] a, double s) {
            float f = (float) s;
            float[] out = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i] * f;
            }
            return out;
        }

        @Override
        public void addScaled(float[] y, double alpha, float[] x) {
            float a = (float) alpha;
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.fma(x[i], a, y[i]);
            }
        }

        @Override
        public double dot(float[] a, float[] b) {
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                sum += a[i] * b[i];
            }
            return (float) sum;
        }

        @Override
        public double absMaxTimes(float[] a, double s) {
            float f = (float) s;
            float max = 0;
            for (float x : a) {
                max = Math.max(max, Math.abs(x * f));
            }
            return max;
        }

        @Override
        public double absSum(float[] a) {
            float sum = 0;
            for (float x : a) {
                sum += Math.abs(x);
            }
            return sum;
        }
    };

    /** float64 vectors, as PyTorch computes on float64 parameters. */
    static final Arithmetic<double[]> FLOAT64 = new Arithmetic<>() {
        @Override
        public double round(double x) {
            return x;
        }

        @Override
        public int length(double[] a) {
            return a.length;
        }

        @Override
        public double[] copy(double[] a) {
            return a.clone();
        }

        @Override
        public double[] negated(double[] a) {
            double[] out = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = -a[i];
            }
            return out;
        }

        @Override
        public double[] minus(double[] a, double[] b) {
            double[] out = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i] - b[i];
            }
            return out;
        }

        @Override
        public double[] times(double[] a, double s) {
            double[] out = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i] * s;
            }
            return out;
        }

        @Override
        public void addScaled(double[] y, double alpha, double[] x) {
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.fma(x[i], alpha, y[i]);
            }
        }

        @Override
        public double dot(double[] a, double[] b) {
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                sum += a[i] * b[i];
            }
            return sum;
        }

        @Override
        public double absMaxTimes(double[] a, double s) {
            double max = 0;
            for (double x : a) {
                max = Math.max(max, Math.abs(x * s));
            }
            return max;
        }

        @Override
        public double absSum(double[] a) {
            double sum = 0;
            for (double x : a) {
                sum += Math.abs(x);
            }
            return sum;
        }
    };

    /**
     * A scalar as PyTorch holds it: a Python float ({@code tensor == false}, double precision) or a
     * 0-dimensional tensor (rounded to the working precision).
     */
    record Num(double v, boolean tensor) {
    }

    private static final double C1 = 1e-4;
    private static final double C2 = 0.9;
    private static final int MAX_LS = 25;

    private final Arithmetic<V> ar;

    V d;
    Num t;
    List<V> oldDirs;
    List<V> oldStps;
    List<Num> ro;
    Num hDiag;
    V prevFlatGrad;
    double prevLoss = Double.NaN;
    long nIter;
    long funcEvals;

    LbfgsSearch(Arithmetic<V> arithmetic) {
        this.ar = arithmetic;
    }

    /** A copy of the state that {@link #restore} can go back to (vectors that a step changes in place are copied). */
    LbfgsSearch<V> snapshot() {
        LbfgsSearch<V> s = new LbfgsSearch<>(ar);
        s.restore(this);
        s.prevFlatGrad = prevFlatGrad == null ? null : ar.copy(prevFlatGrad);
        return s;
    }

    /** Goes back to a {@link #snapshot()}. */
    void restore(LbfgsSearch<V> s) {
        d = s.d;
        t = s.t;
        oldDirs = s.oldDirs == null ? null : new ArrayList<>(s.oldDirs);
        oldStps = s.oldStps == null ? null : new ArrayList<>(s.oldStps);
        ro = s.ro == null ? null : new ArrayList<>(s.ro);
        hDiag = s.hDiag;
        prevFlatGrad = s.prevFlatGrad == null ? null : ar.copy(s.prevFlatGrad);
        prevLoss = s.prevLoss;
        nIter = s.nIter;
        funcEvals = s.funcEvals;
    }

    /** Whether any state exists yet (PyTorch's state is empty before the first step). */
    boolean started() {
        return funcEvals > 0;
    }

    /** One step: up to {@code max_iter} iterations; returns the loss at the starting point. */
    double step(Objective<V> f, Settings s) {
        double origLoss = f.evaluate();
        double loss = origLoss;
        long currentEvals = 1;
        funcEvals++;
        V flatGrad = f.gradient();
        boolean optCond = le(ten(ar.absMax(flatGrad)), py(s.toleranceGrad()));
        if (optCond) {
            return origLoss;
        }
        long n = 0;
        while (n < s.maxIter()) {
            n++;
            nIter++;
            // the direction
            if (nIter == 1) {
                d = ar.negated(flatGrad);
                oldDirs = new ArrayList<>();
                oldStps = new ArrayList<>();
                ro = new ArrayList<>();
                hDiag = py(1);
            } else {
                V y = ar.minus(flatGrad, prevFlatGrad);
                V sv = ar.times(d, t.v());
                Num ys = ten(ar.dot(y, sv));
                if (gt(ys, py(1e-10))) {
                    if (oldDirs.size() == s.historySize()) {
                        oldDirs.remove(0);
                        oldStps.remove(0);
                        ro.remove(0);
                    }
                    oldDirs.add(y);
                    oldStps.add(sv);
                    ro.add(div(py(1), ys));
                    hDiag = div(ys, ten(ar.dot(y, y)));
                }
                int numOld = oldDirs.size();
                Num[] al = new Num[numOld];
                V q = ar.negated(flatGrad);
                for (int i = numOld - 1; i >= 0; i--) {
                    al[i] = mul(ten(ar.dot(oldStps.get(i), q)), ro.get(i));
                    ar.addScaled(q, -al[i].v(), oldDirs.get(i));
                }
                V r = ar.times(q, hDiag.v());
                for (int i = 0; i < numOld; i++) {
                    Num be = mul(ten(ar.dot(oldDirs.get(i), r)), ro.get(i));
                    ar.addScaled(r, sub(al[i], be).v(), oldStps.get(i));
                }
                d = r;
            }
            if (prevFlatGrad == null) {
                prevFlatGrad = ar.copy(flatGrad);
            } else {
                ar.copyInto(flatGrad, prevFlatGrad);
            }
            prevLoss = loss;
            // the step length
            if (nIter == 1) {
                t = mul(min(py(1), div(py(1), ten(ar.absSum(flatGrad)))), py(s.lr()));
            } else {
                t = py(s.lr());
            }
            Num gtd = ten(ar.dot(flatGrad, d));
            if (gt(gtd, py(-s.toleranceChange()))) {
                break;
            }
            long lsEvals = 0;
            if (s.strongWolfe()) {
                V x = f.point();
                Wolfe<V> w = strongWolfe(f, x, t, d, loss, flatGrad, gtd, s.toleranceChange());
                loss = w.f;
                flatGrad = w.g;
                t = w.t;
                lsEvals = w.evals;
                f.move(t.v(), d);
                optCond = le(ten(ar.absMax(flatGrad)), py(s.toleranceGrad()));
            } else {
                f.move(t.v(), d);
                if (n != s.maxIter()) {
                    loss = f.evaluate();
                    flatGrad = f.gradient();
                    optCond = le(ten(ar.absMax(flatGrad)), py(s.toleranceGrad()));
                    lsEvals = 1;
                }
            }
            currentEvals += lsEvals;
            funcEvals += lsEvals;
            // the conditions
            if (n == s.maxIter() || currentEvals >= s.maxEval() || optCond) {
                break;
            }
            if (le(ten(ar.absMaxTimes(d, t.v())), py(s.toleranceChange()))) {
                break;
            }
            if (Math.abs(loss - prevLoss) < s.toleranceChange()) {
                break;
            }
        }
        return origLoss;
    }

    /** What the line search returns: the loss, gradient and step length it settled on, and its evaluations. */
    private record Wolfe<V>(double f, V g, Num t, long evals) {
    }

    /** A loss and the gradient with it. */
    private record Evaluation<V>(double loss, V grad) {
    }

    /** The loss and gradient at {@code x + t d}, the point restored afterwards. */
    private Evaluation<V> directional(Objective<V> f, V x, Num t, V d) {
        f.move(t.v(), d);
        double loss = f.evaluate();
        V g = f.gradient();
        f.setPoint(x);
        return new Evaluation<>(loss, g);
    }

    /** PyTorch's {@code _strong_wolfe}, from lswolfe.lua: bracket, then zoom by cubic interpolation. */
    private Wolfe<V> strongWolfe(Objective<V> obj, V x, Num t, V d, double f, V g, Num gtd, double toleranceChange) {
        Num dNorm = ten(ar.absMax(d));
        g = ar.copy(g);
        Evaluation<V> e = directional(obj, x, t, d);
        double fNew = e.loss();
        V gNew = e.grad();
        long evals = 1;
        Num gtdNew = ten(ar.dot(gNew, d));

        Num tPrev = py(0);
        double fPrev = f;
        V gPrev = g;
        Num gtdPrev = gtd;
        boolean done = false;
        int lsIter = 0;
        Num[] bracket = null;
        double[] bracketF = null;
        List<V> bracketG = null;
        Num[] bracketGtd = null;
        Num fc1 = null;
        while (lsIter < MAX_LS) {
            if (gt(py(fNew), armijo(f, t, gtd)) || (lsIter > 1 && fNew >= fPrev)) {
                bracket = new Num[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new ArrayList<>(List.of(gPrev, ar.copy(gNew)));
                bracketGtd = new Num[] {gtdPrev, gtdNew};
                break;
            }
            if (le(abs(gtdNew), mul(py(-C2), gtd))) {
                bracket = new Num[] {t};
                bracketF = new double[] {fNew};
                bracketG = new ArrayList<>(List.of(gNew));
                done = true;
                break;
            }
            if (ge(gtdNew, py(0))) {
                bracket = new Num[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new ArrayList<>(List.of(gPrev, ar.copy(gNew)));
                bracketGtd = new Num[] {gtdPrev, gtdNew};
                break;
            }
            Num minStep = add(t, mul(py(0.01), sub(t, tPrev)));
            Num maxStep = mul(t, py(10));
            Num tmp = t;
            t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = tmp;
            fPrev = fNew;
            gPrev = ar.copy(gNew);
            gtdPrev = gtdNew;
            e = directional(obj, x, t, d);
            fNew = e.loss();
            gNew = e.grad();
            evals++;
            gtdNew = ten(ar.dot(gNew, d));
            lsIter++;
        }
        if (lsIter == MAX_LS) {
            bracket = new Num[] {py(0), t};
            bracketF = new double[] {f, fNew};
            bracketG = new ArrayList<>(List.of(g, gNew));
        }

        boolean insufProgress = false;
        int last = bracketF.length - 1;
        int lowPos = bracketF[0] <= bracketF[last] ? 0 : 1;
        int highPos = 1 - lowPos;
        while (!done && lsIter < MAX_LS) {
            if (lt(mul(abs(sub(bracket[1], bracket[0])), dNorm), py(toleranceChange))) {
                break;
            }
            t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1], null, null);
            Num hi = max(bracket[0], bracket[1]);
            Num lo = min(bracket[0], bracket[1]);
            Num eps = mul(py(0.1), sub(hi, lo));
            if (lt(min(sub(hi, t), sub(t, lo)), eps)) {
                if (insufProgress || ge(t, hi) || le(t, lo)) {
                    if (lt(abs(sub(t, hi)), abs(sub(t, lo)))) {
                        t = sub(hi, eps);
                    } else {
                        t = add(lo, eps);
                    }
                    insufProgress = false;
                } else {
                    insufProgress = true;
                }
            } else {
                insufProgress = false;
            }
            e = directional(obj, x, t, d);
            fNew = e.loss();
            gNew = e.grad();
            evals++;
            gtdNew = ten(ar.dot(gNew, d));
            lsIter++;

            if (gt(py(fNew), armijo(f, t, gtd)) || fNew >= bracketF[lowPos]) {
                bracket[highPos] = t;
                bracketF[highPos] = fNew;
                bracketG.set(highPos, ar.copy(gNew));
                bracketGtd[highPos] = gtdNew;
                lowPos = bracketF[0] <= bracketF[1] ? 0 : 1;
                highPos = 1 - lowPos;
            } else {
                if (le(abs(gtdNew), mul(py(-C2), gtd))) {
                    done = true;
                } else if (ge(mul(gtdNew, sub(bracket[highPos], bracket[lowPos])), py(0))) {
                    bracket[highPos] = bracket[lowPos];
                    bracketF[highPos] = bracketF[lowPos];
                    bracketG.set(highPos, bracketG.get(lowPos));
                    bracketGtd[highPos] = bracketGtd[lowPos];
                }
                bracket[lowPos] = t;
                bracketF[lowPos] = fNew;
                bracketG.set(lowPos, ar.copy(gNew));
                bracketGtd[lowPos] = gtdNew;
            }
        }
        return new Wolfe<>(bracketF[lowPos], bracketG.get(lowPos), bracket[lowPos], evals);
    }

    /** {@code f + c1 * t * gtd}, the sufficient-decrease bound, evaluated left to right as Python does. */
    private Num armijo(double f, Num t, Num gtd) {
        return add(py(f), mul(mul(py(C1), t), gtd));
    }

    /**
     * PyTorch's {@code _cubic_interpolate} (from polyinterp.lua): the minimizer of the cubic through two
     * points with their slopes, clamped to the bounds (the two points when {@code lo} is null), or the
     * middle of the bounds when the cubic has no minimizer.
     */
    private Num cubicInterpolate(Num x1, double f1, Num g1, Num x2, double f2, Num g2, Num lo, Num hi) {
        Num xmin = lo;
        Num xmax = hi;
        if (lo == null) {
            boolean ordered = le(x1, x2);
            xmin = ordered ? x1 : x2;
            xmax = ordered ? x2 : x1;
        }
        Num d1 = sub(add(g1, g2), div(mul(py(3), py(f1 - f2)), sub(x1, x2)));
        Num d2Square = sub(mul(d1, d1), mul(g1, g2));
        if (ge(d2Square, py(0))) {
            Num d2 = sqrt(d2Square);
            Num minPos;
            if (le(x1, x2)) {
                minPos = sub(x2, mul(sub(x2, x1), div(sub(add(g2, d2), d1), add(sub(g2, g1), mul(py(2), d2)))));
            } else {
                minPos = sub(x1, mul(sub(x1, x2), div(sub(add(g1, d2), d1), add(sub(g1, g2), mul(py(2), d2)))));
            }
            return min(max(minPos, xmin), xmax);
        }
        return div(add(xmin, xmax), py(2));
    }

    // ---- PyTorch's scalar arithmetic: Python float op Python float is double; anything with a tensor is
    // ---- rounded to the tensor's precision, the Python float first; Python float / tensor is a reciprocal then a product

    private Num py(double v) {
        return new Num(v, false);
    }

    private Num ten(double v) {
        return new Num(ar.round(v), true);
    }

    private boolean either(Num a, Num b) {
        return a.tensor() || b.tensor();
    }

    private double operand(Num a, boolean tensor) {
        return tensor ? ar.round(a.v()) : a.v();
    }

    private Num add(Num a, Num b) {
        boolean t = either(a, b);
        return t ? ten(operand(a, t) + operand(b, t)) : py(a.v() + b.v());
    }

    private Num sub(Num a, Num b) {
        boolean t = either(a, b);
        return t ? ten(operand(a, t) - operand(b, t)) : py(a.v() - b.v());
    }

    private Num mul(Num a, Num b) {
        boolean t = either(a, b);
        return t ? ten(operand(a, t) * operand(b, t)) : py(a.v() * b.v());
    }

    private Num div(Num a, Num b) {
        if (!a.tensor() && b.tensor()) {
            return ten(ar.round(a.v()) * ar.round(1 / b.v()));
        }
        boolean t = either(a, b);
        return t ? ten(operand(a, t) / operand(b, t)) : py(a.v() / b.v());
    }

    private Num abs(Num a) {
        return new Num(Math.abs(a.v()), a.tensor());
    }

    private Num sqrt(Num a) {
        return a.tensor() ? ten(Math.sqrt(a.v())) : py(Math.sqrt(a.v()));
    }

    private int compare(Num a, Num b) {
        boolean t = either(a, b);
        double x = operand(a, t);
        double y = operand(b, t);
        return x < y ? -1 : x > y ? 1 : x == y ? 0 : 2;
    }

    private boolean lt(Num a, Num b) {
        return compare(a, b) == -1;
    }

    private boolean le(Num a, Num b) {
        int c = compare(a, b);
        return c == -1 || c == 0;
    }

    private boolean gt(Num a, Num b) {
        return compare(a, b) == 1;
    }

    private boolean ge(Num a, Num b) {
        int c = compare(a, b);
        return c == 1 || c == 0;
    }

    /** Python's {@code min(a, b)}: {@code b} only when {@code b < a}. */
    private Num min(Num a, Num b) {
        return lt(b, a) ? b : a;
    }

    /** Python's {@code max(a, b)}: {@code b} only when {@code b > a}. */
    private Num max(Num a, Num b) {
        return gt(b, a) ? b : a;
    }
}
