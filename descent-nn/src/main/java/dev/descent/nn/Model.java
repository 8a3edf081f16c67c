package dev.descent.nn;

import dev.descent.optim.Param;
import dev.descent.optim.ParamStore;
import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * A module tree with its parameters laid out in one {@link ParamStore}, initialized from a seed, so that
 * any optimizer of {@code dev.descent.optim} trains it:
 *
 * <pre>
 *   Model model = new Model(new Sequential(new Linear(784, 128), new Relu(), new Linear(128, 10)), 42);
 *   Optimizer opt = Optimizers.parse("adam(lr=1e-3)").build(model.params());
 * </pre>
 * Parameters are named by their path, as PyTorch's {@code named_parameters()} names them ({@code 0.weight},
 * {@code 0.bias}, {@code 2.weight}, ...), so parameter-group rules such as {@code bias: weight_decay=0}
 * apply. The seed decides every initial value and every dropout mask: each parameter, then each module
 * that draws random numbers, gets its own generator split off one {@link SplittableRandom} in layout order.
 * A model is not thread-safe; two threads train two models.
 */
public final class Model {
    private final Module root;
    private final ParamStore store;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, float[]> buffers = new LinkedHashMap<>();
    private final List<Module> modules = new ArrayList<>();

    /** Lays out and initializes {@code root}'s parameters; the model starts in training mode. */
    public Model(Module root, long seed) {
        this.root = root;
        List<String> names = new ArrayList<>();
        List<ParamRef> refs = new ArrayList<>();
        collect(root, "", names, refs, modules);
        ParamStore.Builder b = ParamStore.builder();
        for (int i = 0; i < names.size(); i++) {
            b.add(names.get(i), refs.get(i).shapeRef());
        }
        this.store = b.build();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < refs.size(); i++) {
            Param p = store.param(i);
            Tensor t = Tensor.param(p);
            refs.get(i).bind(t);
            refs.get(i).init().fill(store.data(), p.offset(), p.size(), p.shape(), rng.split());
            tensors.put(p.name(), t);
        }
        for (Module m : modules) {
            m.seed(rng.split());
            m.ownBuffers().forEach((k, v) -> buffers.put(m.path().isEmpty() ? k : m.path() + "." + k, v));
        }
        root.setTraining(true);
    }

    /**
     * Gives every module that draws random numbers while running (dropout) a new generator, split in layout
     * order off {@code new SplittableRandom(seed)} as the constructor does, leaving the parameters alone. A
     * training loop calls it at the start of every epoch with a seed made of the run's seed and the epoch,
     * so that a run resumed at any epoch draws the masks the uninterrupted run drew.
     */
    public void reseedModules(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Module m : modules) {
            m.seed(rng.split());
        }
    }

    private static void collect(Module m, String path, List<String> names, List<ParamRef> refs, List<Module> modules) {
        m.setPath(path);
        modules.add(m);
        for (ParamRef p : m.ownParams()) {
            names.add(path.isEmpty() ? p.name() : path + "." + p.name());
            refs.add(p);
        }
        for (Map.Entry<String, Module> child : m.children().entrySet()) {
            collect(child.getValue(), path.isEmpty() ? child.getKey() : path + "." + child.getKey(),
                    names, refs, modules);
        }
    }

    /** The root module. */
    public Module root() {
        return root;
    }

    /** The flat storage of every parameter and gradient. */
    public ParamStore store() {
        return store;
    }

    /** Every parameter in layout order, what {@code OptimizerSpec.build} takes. */
    public List<Param> params() {
        return store.params();
    }

    /**
     * Every buffer (state saved with the model but not trained, such as {@code 1.running_mean}) by full
     * name, in layout order; the arrays themselves, so that a checkpoint can write and restore them.
     */
    public Map<String, float[]> buffers() {
        return java.util.Collections.unmodifiableMap(buffers);
    }

    /** The number of parameters (floats). */
    public int parameterCount() {
        return store.size();
    }

    /** The tensor view of the parameter with the given full name, such as {@code 0.weight}. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; this model has " + tensors.keySet());
        }
        return t;
    }

    /**
     * The tensor views of the parameters whose names contain a match of {@code regex}, matched
     * case-insensitively as parameter-group rules match ({@code weight} takes every weight), in layout
     * order, for example to give to {@link Losses#l2Penalty}.
     *
     * @throws IllegalArgumentException when no parameter matches, which is almost always a typo
     */
    public List<Tensor> tensors(String regex) {
        Pattern p = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
        List<Tensor> out = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (p.matcher(e.getKey()).find()) {
                out.add(e.getValue());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no parameter name matches '" + regex + "'; this model has "
                    + tensors.keySet());
        }
        return out;
    }

    /** Runs the model on a batch, recording on {@code tape} (an inference tape to record nothing). */
    public Tensor forward(Tape tape, Tensor x) {
        return root.forward(tape, x);
    }

    /** Switches to training mode (dropout active); returns this model. */
    public Model train() {
        root.setTraining(true);
        return this;
    }

    /** Switches to evaluation mode (dropout passes through); returns this model. */
    public Model eval() {
        root.setTraining(false);
        return this;
    }

    /** Whether the model is in training mode. */
    public boolean isTraining() {
        return root.isTraining();
    }

    /** Zeroes every gradient (one fill of the store's gradient array); gradients stay defined. */
    public void zeroGrad() {
        Arrays.fill(store.grad(), 0f);
    }

    /** One line per module with parameters and sizes, then the total, for logs. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        describe(root, b);
        return b.append("parameters: ").append(store.size()).toString();
    }

    private static void describe(Module m, StringBuilder b) {
        b.append(m.path().isEmpty() ? "model" : m.path()).append(": ").append(m.describe());
        for (ParamRef p : m.ownParams()) {
            b.append(' ').append(p);
        }
        b.append('\n');
        for (Module child : m.children().values()) {
            describe(child, b);
        }
    }
}
