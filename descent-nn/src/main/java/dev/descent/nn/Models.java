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
 *   <li>{@code cnn(channels=[32, 64], kernel_size=3, hidden=[128], dropout=0, init=glorot_uniform,
 *       bias=true)}: a small convolutional network, for each entry of {@code channels} a Conv2d of that
 *       many {@code kernel_size x kernel_size} filters (stride 1, no padding), ReLU and 2x2 max pooling,
 *       then Flatten, the hidden Linear layers (ReLU, then Dropout when {@code dropout > 0}) and the
 *       output layer. The input is {@code [channels, height, width]}; {@code [height, width]} or a square
 *       {@code [n]} (784 is 28 x 28) get a leading Reshape to one channel. On 28 x 28 images the defaults
 *       give 26, 13, 11, 5: 1600 features into the dense layer.</li>
 *   <li>{@code logreg()}: multinomial logistic regression, one Linear layer giving logits (train it with
 *       cross-entropy); keys {@code init}, {@code bias}.</li>
 *   <li>{@code linreg()}: linear regression, one Linear layer (train it with MSE); keys {@code init},
 *       {@code bias}.</li>
 * </ul>
 * For mlp, logreg and linreg, an input of more than one dimension per sample (say {@code [1, 28, 28]}) is flattened by a leading
 * Flatten layer, which takes index 0 of the Sequential. Layers are numbered as in PyTorch's
 * {@code nn.Sequential}, so {@code mlp(hidden=[128], dropout=0.2)} on 784 inputs names its parameters
 * {@code 0.weight, 0.bias, 3.weight, 3.bias}.
 */
public final class Models {
    private static final List<String> NAMES = List.of("cnn", "linreg", "logreg", "mlp");
    private static final List<String> ACTIVATIONS = List.of("gelu", "leaky_relu", "relu", "sigmoid", "tanh");
    private static final Map<String, Set<String>> KEYS = Map.of(
            "mlp", Set.of("hidden", "dropout", "activation", "init", "bias"),
            "cnn", Set.of("channels", "kernel_size", "hidden", "dropout", "init", "bias"),
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
        if (name.equals("cnn")) {
            return cnn(args, inputShape, outputs, init, bias);
        }
        if (inputShape.length > 1) {
            layers.add(new Flatten());
        }
        int in = features;
        if (name.equals("mlp")) {
            long[] hidden = hidden(name, args.get("hidden"));
            double dropout = dropout(name, args);
            String activation = args.containsKey("activation")
                    ? SpecValues.toStr(name, "activation", args.get("activation")).toLowerCase(Locale.ROOT) : "relu";
            if (!ACTIVATIONS.contains(activation)) {
                throw new IllegalArgumentException(Names.unknown("activation for mlp", activation, ACTIVATIONS));
            }
            for (long h : hidden) {
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

    private static Module cnn(Map<String, Object> args, int[] inputShape, int outputs, Init init, boolean bias) {
        List<Module> layers = new ArrayList<>();
        int[] chw;
        if (inputShape.length == 3) {
            chw = inputShape.clone();
        } else if (inputShape.length == 2) {
            chw = new int[] {1, inputShape[0], inputShape[1]};
            layers.add(new Reshape(chw));
        } else {
            int side = (int) Math.round(Math.sqrt(inputShape[0]));
            if (inputShape.length != 1 || side * side != inputShape[0]) {
                throw new IllegalArgumentException("cnn needs images [channels, height, width], [height, width] or a "
                        + "square number of pixels, got input shape " + Arrays.toString(inputShape));
            }
            chw = new int[] {1, side, side};
            layers.add(new Reshape(chw));
        }
        long[] channels = args.containsKey("channels") ? sizes("cnn", "channels", args.get("channels")) : new long[] {32, 64};
        long k = args.containsKey("kernel_size") ? SpecValues.toLong("cnn", "kernel_size", args.get("kernel_size")) : 3;
        if (k <= 0 || k > 64) {
            throw new SpecException("cnn: kernel_size=" + k + " must be between 1 and 64");
        }
        long[] hidden = hidden("cnn", args.get("hidden"));
        double dropout = dropout("cnn", args);
        int c = chw[0];
        int h = chw[1];
        int w = chw[2];
        for (long out : channels) {
            h = (h - (int) k + 1) / 2;
            w = (w - (int) k + 1) / 2;
            if (h < 1 || w < 1) {
                throw new IllegalArgumentException("cnn: input shape " + Arrays.toString(inputShape) + " is too small for "
                        + channels.length + " blocks of a " + k + "x" + k + " convolution and 2x2 pooling");
            }
            layers.add(new Conv2d(c, (int) out, (int) k, 1, 0, bias, init));
            layers.add(new Relu());
            layers.add(new MaxPool2d(2));
            c = (int) out;
        }
        layers.add(new Flatten());
        int in = c * h * w;
        for (long size : hidden) {
            layers.add(new Linear(in, (int) size, bias, init));
            layers.add(new Relu());
            if (dropout > 0) {
                layers.add(new Dropout(dropout));
            }
            in = (int) size;
        }
        layers.add(new Linear(in, outputs, bias, init));
        return new Sequential(layers);
    }

    private static double dropout(String name, Map<String, Object> args) {
        double dropout = args.containsKey("dropout") ? SpecValues.toDouble(name, "dropout", args.get("dropout")) : 0;
        if (!(dropout >= 0 && dropout < 1)) {
            throw new SpecException(name + ": dropout=" + Spec.render(args.get("dropout")) + " must be in [0, 1)");
        }
        return dropout;
    }

    private static long[] hidden(String name, Object v) {
        if (v == null) {
            return new long[] {128};
        }
        return sizes(name, "hidden", v);
    }

    /** Layer sizes: a sequence of positive integers, or one integer. */
    private static long[] sizes(String name, String key, Object v) {
        long[] sizes = v instanceof SpecSeq ? SpecValues.toLongs(name, key, v) : new long[] {SpecValues.toLong(name, key, v)};
        for (long s : sizes) {
            if (s <= 0 || s > 1 << 24) {
                throw new SpecException(name + ": " + key + "=" + Spec.render(v)
                        + " must hold positive layer sizes, but has " + s);
            }
        }
        return sizes;
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
