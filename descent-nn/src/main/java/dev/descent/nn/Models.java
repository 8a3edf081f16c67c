package dev.descent.nn;

import dev.descent.optim.spec.Names;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecException;
import dev.descent.optim.spec.SpecParser;
import dev.descent.optim.spec.SpecSeq;
import dev.descent.optim.spec.SpecValues;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The registry of models by spec, in the grammar optimizers use, with the input shape and the number of
 * outputs (classes) supplied by the caller:
 * <ul>
 *   <li>{@code mlp(hidden=[128], dropout=0.2, activation=relu, init=glorot_uniform, bias=true)}: a
 *       multi-layer perceptron, each hidden layer Linear, activation, then Dropout when {@code dropout > 0},
 *       and a Linear output layer giving logits. {@code hidden} also takes one integer; {@code hidden=[]}
 *       is a linear model. Activations: {@code relu}, {@code leaky_relu}, {@code gelu}, {@code tanh},
 *       {@code sigmoid}. Defaults: {@code hidden=[128]}, {@code dropout=0}, {@code relu},
 *       {@code glorot_uniform}, biases on.</li>
 *   <li>{@code logreg()}: multinomial logistic regression, one Linear layer giving logits (train it with
 *       cross-entropy); keys {@code init}, {@code bias}.</li>
 *   <li>{@code linreg()}: linear regression, one Linear layer (train it with MSE); keys {@code init},
 *       {@code bias}.</li>
 * </ul>
 * An input of more than one dimension per sample (say {@code [1, 28, 28]}) is flattened by a leading
 * Flatten layer, which takes index 0 of the Sequential. Layers are numbered as in PyTorch's
 * {@code nn.Sequential}, so {@code mlp(hidden=[128], dropout=0.2)} on 784 inputs names its parameters
 * {@code 0.weight, 0.bias, 3.weight, 3.bias}.
 */
public final class Models {
    private static final List<String> NAMES = List.of("linreg", "logreg", "mlp");
    private static final List<String> ACTIVATIONS = List.of("gelu", "leaky_relu", "relu", "sigmoid", "tanh");
    private static final Map<String, Set<String>> KEYS = Map.of(
            "mlp", Set.of("hidden", "dropout", "activation", "init", "bias"),
            "logreg", Set.of("init", "bias"),
            "linreg", Set.of("init", "bias"));

    private Models() {
    }

    /** Every model name, sorted. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * Parses a model spec and builds its module.
     *
     * @param inputShape the shape of one sample, such as {@code [784]} or {@code [1, 28, 28]}
     * @param outputs the number of classes (logits), or of regression targets
     * @throws IllegalArgumentException for text that does not parse, an unknown name or key (listing the
     *                                  valid ones and the closest), or a bad value (naming key, value, rule)
     */
    public static Module module(String spec, int[] inputShape, int outputs) {
        return module(SpecParser.parse(spec), inputShape, outputs);
    }

    /** Builds the module of a parsed model spec; see {@link #module(String, int[], int)}. */
    public static Module module(Spec spec, int[] inputShape, int outputs) {
        String name = spec.key();
        if (!KEYS.containsKey(name)) {
            throw new IllegalArgumentException(Names.unknown("model", spec.name(), NAMES));
        }
        if (!spec.positional().isEmpty()) {
            throw new SpecException(name + " takes only key=value arguments, but got "
                    + Spec.render(spec.positional().get(0)) + " in " + spec.source());
        }
        for (String key : spec.named().keySet()) {
            if (!KEYS.get(name).contains(key)) {
                throw new IllegalArgumentException(Names.unknown("key for " + name, key, new TreeSet<>(KEYS.get(name))));
            }
        }
        if (outputs <= 0) {
            throw new IllegalArgumentException(name + ": the number of outputs must be positive, got " + outputs);
        }
        int features = features(name, inputShape);
        Map<String, Object> args = spec.named();
        Init init = args.containsKey("init")
                ? Init.named(SpecValues.toStr(name, "init", args.get("init"))) : Init.glorotUniform();
        boolean bias = !args.containsKey("bias") || SpecValues.toBoolean(name, "bias", args.get("bias"));
        List<Module> layers = new ArrayList<>();
        if (inputShape.length > 1) {
            layers.add(new Flatten());
        }
        int in = features;
        if (name.equals("mlp")) {
            long[] hidden = hidden(args.get("hidden"));
            double dropout = args.containsKey("dropout") ? SpecValues.toDouble(name, "dropout", args.get("dropout")) : 0;
            if (!(dropout >= 0 && dropout < 1)) {
                throw new SpecException("mlp: dropout=" + Spec.render(args.get("dropout")) + " must be in [0, 1)");
            }
            String activation = args.containsKey("activation")
                    ? SpecValues.toStr(name, "activation", args.get("activation")).toLowerCase(Locale.ROOT) : "relu";
            if (!ACTIVATIONS.contains(activation)) {
                throw new IllegalArgumentException(Names.unknown("activation for mlp", activation, ACTIVATIONS));
            }
            for (long h : hidden) {
                if (h <= 0 || h > Integer.MAX_VALUE) {
                    throw new SpecException("mlp: hidden=" + Spec.render(args.get("hidden"))
                            + " must hold positive layer sizes, but has " + h);
                }
                layers.add(new Linear(in, (int) h, bias, init));
                layers.add(activation(activation));
                if (dropout > 0) {
                    layers.add(new Dropout(dropout));
                }
                in = (int) h;
            }
        }
        layers.add(new Linear(in, outputs, bias, init));
        return new Sequential(layers);
    }

    /** Builds a model from a spec, initialized from {@code seed}; see {@link #module(String, int[], int)}. */
    public static Model build(String spec, int[] inputShape, int outputs, long seed) {
        return new Model(module(spec, inputShape, outputs), seed);
    }

    /** Whether a model spec names a regression model (trained with MSE) rather than a classifier. */
    public static boolean isRegression(Spec spec) {
        return spec.key().equals("linreg");
    }

    private static int features(String name, int[] inputShape) {
        if (inputShape.length == 0) {
            throw new IllegalArgumentException(name + ": the input shape of a sample must have at least one dimension");
        }
        long n = 1;
        for (int d : inputShape) {
            if (d <= 0) {
                throw new IllegalArgumentException(name + ": input shape " + Arrays.toString(inputShape)
                        + " must have positive dimensions");
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": input shape " + Arrays.toString(inputShape) + " is too large");
        }
        return (int) n;
    }

    private static long[] hidden(Object v) {
        if (v == null) {
            return new long[] {128};
        }
        if (v instanceof SpecSeq) {
            return SpecValues.toLongs("mlp", "hidden", v);
        }
        return new long[] {SpecValues.toLong("mlp", "hidden", v)};
    }

    private static Module activation(String name) {
        return switch (name) {
            case "relu" -> new Relu();
            case "leaky_relu" -> new LeakyRelu();
            case "gelu" -> new Gelu();
            case "tanh" -> new Tanh();
            default -> new Sigmoid();
        };
    }
}
