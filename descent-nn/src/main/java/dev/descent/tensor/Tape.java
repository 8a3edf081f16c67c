package dev.descent.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of one forward pass, for reverse-mode automatic differentiation, and the owner of the
 * buffers its op results live in.
 *
 * <p>Every op ({@link Ops}, {@link Activations}, the losses of {@code dev.descent.nn}) takes the tape as
 * its first argument. A recording tape ({@code new Tape()}) appends each op whose inputs need a gradient;
 * since ops run in order, that list is already a topological order, and {@link #backward(Tensor)} walks it
 * backwards, each op adding its inputs' gradients (chain rule) until the leaves, where gradients
 * <em>accumulate</em> as in PyTorch: parameters' gradients land in their store's gradient array, so zero
 * them before each step. An inference tape ({@link #inference()}) records nothing, the way
 * {@code torch.no_grad()} does.
 *
 * <p>{@link #reset()} forgets the ops and recycles every buffer the tape handed out, so that a training
 * loop that resets once per step reuses the same float arrays every step. Tensors made on this tape are
 * invalid after reset. A tape is not thread-safe and there is no global state: two threads training two
 * models use two tapes.
 *
 * <pre>
 *   Tape tape = new Tape();
 *   for (each batch) {
 *       tape.reset();
 *       Tensor loss = Losses.crossEntropy(tape, model.forward(tape, x), labels);
 *       optimizer.zeroGrad();
 *       tape.backward(loss);
 *       optimizer.step();
 *   }
 * </pre>
 */
public final class Tape {
    /** The gradient rule of one recorded op: reads its output's gradient, adds to its inputs' gradients. */
    @FunctionalInterface
    public interface Backward {
        /** Adds this op's contribution to the gradients of its inputs that take one. */
        void run();
    }

    private final boolean recording;
    private final List<Tensor> outputs = new ArrayList<>();
    private final List<Backward> rules = new ArrayList<>();
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final List<float[]> inUse = new ArrayList<>();
    private int generation;
    private boolean backwardDone;

    /** A recording tape, for training. */
    public Tape() {
        this(true);
    }

    private Tape(boolean recording) {
        this.recording = recording;
    }

    /**
     * A tape that records nothing, for evaluation: op results take no gradient. Reset and reuse it between
     * batches to recycle its buffers, as a training tape.
     */
    public static Tape inference() {
        return new Tape(false);
    }

    /** How many times this tape was reset; tensors made before the last reset are stale. */
    int generation() {
        return generation;
    }

    /** Whether this tape records ops for backward. */
    public boolean isRecording() {
        return recording;
    }

    /** The number of ops recorded since the last reset. */
    public int size() {
        return rules.size();
    }

    /**
     * Back-propagates from a one-element tensor such as a loss, seeding its gradient with 1.
     *
     * @throws IllegalArgumentException if {@code loss} has more than one element or takes no gradient
     */
    public void backward(Tensor loss) {
        if (loss.size != 1) {
            throw new IllegalArgumentException("backward(loss) needs a one-element tensor, got shape "
                    + Arrays.toString(loss.shape) + "; pass the output's gradient with backward(output, gradient)");
        }
        backward(loss, new float[] {1f});
    }

    /**
     * Back-propagates from {@code output} with the given gradient of some scalar with respect to it.
     * Backward runs once per forward pass: to back-propagate two losses, add them first.
     *
     * @throws IllegalArgumentException if the sizes differ or {@code output} takes no gradient
     * @throws IllegalStateException if backward already ran since the last {@link #reset()}
     */
    public void backward(Tensor output, float[] outputGrad) {
        if (!recording) {
            throw new IllegalArgumentException("backward on an inference tape: it records no ops");
        }
        if (backwardDone) {
            throw new IllegalStateException("backward already ran on this tape; its intermediate gradients are "
                    + "spent, so reset the tape and run the forward pass again (PyTorch: retain_graph)");
        }
        if (!output.requiresGrad) {
            throw new IllegalArgumentException("backward from " + output
                    + ", which takes no gradient: nothing it depends on needs one");
        }
        if (outputGrad.length != output.size) {
            throw new IllegalArgumentException("the gradient has " + outputGrad.length + " elements but the output "
                    + Arrays.toString(output.shape) + " has " + output.size);
        }
        float[] g = grad(output);
        int go = output.gradOffset;
        for (int i = 0; i < output.size; i++) {
            g[go + i] += outputGrad[i];
        }
        backwardDone = true;
        for (int i = rules.size() - 1; i >= 0; i--) {
            if (outputs.get(i).grad != null) {
                rules.get(i).run();
            }
        }
    }

    /** Forgets the recorded ops and recycles every buffer handed out since the last reset. */
    public void reset() {
        generation++;
        backwardDone = false;
        outputs.clear();
        rules.clear();
        for (float[] a : inUse) {
            free.computeIfAbsent(a.length, n -> new ArrayDeque<>()).push(a);
        }
        inUse.clear();
    }

    // ----- for writing ops (the ops here, the losses and layers of dev.descent.nn) -----
    //
    // An op computes its result into tape buffers, then records a Backward rule that reads the result's
    // gradient (gradArray() from gradOffset(), always 0 for results) and adds into grad(input) for each
    // input that requiresGrad().

    /**
     * A buffer of {@code n} floats, recycled at {@link #reset()}, whose contents are unspecified: the op
     * must write every element. For scratch data an op keeps for its backward rule.
     */
    public float[] buffer(int n) {
        ArrayDeque<float[]> q = free.get(n);
        float[] a = q == null || q.isEmpty() ? new float[n] : q.pop();
        inUse.add(a);
        return a;
    }

    /** A buffer of {@code n} zeros, recycled at {@link #reset()}. */
    public float[] zeros(int n) {
        ArrayDeque<float[]> q = free.get(n);
        float[] a;
        if (q == null || q.isEmpty()) {
            a = new float[n];
        } else {
            a = q.pop();
            Arrays.fill(a, 0f);
        }
        inUse.add(a);
        return a;
    }

    /** Whether an op on this input records a gradient rule: the tape records and the input takes a gradient. */
    public boolean needsGrad(Tensor a) {
        return recording && a.requiresGrad;
    }

    /** Whether an op on these inputs records a gradient rule. */
    public boolean needsGrad(Tensor a, Tensor b) {
        return recording && (a.requiresGrad || b.requiresGrad);
    }

    /**
     * A new op result of the given shape in a tape buffer whose contents are unspecified.
     *
     * @param requiresGrad whether it takes a gradient, normally {@link #needsGrad} of the op's inputs
     */
    public Tensor result(int[] shape, boolean requiresGrad) {
        return new Tensor(buffer(Tensor.sizeOf(shape)), 0, Tensor.checkShape(shape, -1), requiresGrad, null, this);
    }

    /** A new op result sharing {@code data} from {@code offset} (for views such as reshape). */
    Tensor resultView(float[] data, int offset, int[] shape, boolean requiresGrad) {
        return new Tensor(data, offset, shape, requiresGrad, null, this);
    }

    /** Records the gradient rule of {@code out}; a no-op when {@code out} takes no gradient. */
    public void record(Tensor out, Backward rule) {
        if (out.requiresGrad) {
            outputs.add(out);
            rules.add(rule);
        }
    }

    /**
     * For a backward rule that sets every element of an input's gradient: when nothing has written the
     * gradient of {@code t} yet and it is a result of this tape, its new gradient array, whose contents are
     * unspecified (the rule stores into it instead of adding, and saves zeroing it first); otherwise null,
     * and the rule adds into {@link #grad(Tensor)} as usual.
     */
    public float[] freshGrad(Tensor t) {
        if (t.grad != null || t.owner != this) {
            return null;
        }
        t.grad = buffer(t.size);
        t.gradOffset = 0;
        return t.grad;
    }

    /**
     * The gradient array of {@code t}, allocated (zeroed) on first use; the gradient of element i is at
     * {@code t.gradOffset + i}. Reaching a parameter marks its gradient defined for the optimizer.
     */
    public float[] grad(Tensor t) {
        if (t.grad == null) {
            t.grad = t.owner == this ? zeros(t.size) : new float[t.size];
            t.gradOffset = 0;
        }
        if (t.param != null) {
            t.param.markGradDefined();
        }
        return t.grad;
    }
}
