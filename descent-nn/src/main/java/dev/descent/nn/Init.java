package dev.descent.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * A seeded initializer that fills a parameter's values from its shape's fan-in and fan-out, as
 * {@code torch.nn.init} does.
 *
 * <p>Fans follow PyTorch's {@code _calculate_fan_in_and_fan_out}: a weight of shape {@code [out, in, k...]}
 * has {@code fanIn = in * prod(k)} and {@code fanOut = out * prod(k)}; a vector has both equal to its
 * length. The scaled initializers draw from U(-b, b) or N(0, s^2):
 * <ul>
 *   <li>He (Kaiming; He et al., 2015), for ReLU networks: {@code b = sqrt(6 / fanIn)}, {@code s = sqrt(2 / fanIn)};</li>
 *   <li>Glorot (Xavier; Glorot and Bengio, 2010): {@code b = sqrt(6 / (fanIn + fanOut))},
 *       {@code s = sqrt(2 / (fanIn + fanOut))};</li>
 *   <li>LeCun (LeCun et al., 1998): {@code b = sqrt(3 / fanIn)}, {@code s = sqrt(1 / fanIn)}.</li>
 *   <li>{@link #torchDefault()}, PyTorch's own default for Linear and Conv2d weights
 *       ({@code kaiming_uniform_(a=sqrt(5))}): {@code b = 1 / sqrt(fanIn)}; layers built with it draw their
 *       bias from the same bound, as PyTorch does.</li>
 * </ul>
 */
@FunctionalInterface
public interface Init {
    /**
     * Fills {@code n} values of {@code data} from {@code offset}.
     *
     * @param shape the parameter's shape, for the fans
     * @param rng the generator to draw from; the only source of randomness
     */
    void fill(float[] data, int offset, int n, int[] shape, RandomGenerator rng);

    /** Zeros (the default for biases). */
    static Init zeros() {
        return constant(0f);
    }

    /** Every value {@code value}. */
    static Init constant(float value) {
        return (data, offset, n, shape, rng) -> Arrays.fill(data, offset, offset + n, value);
    }

    /** He (Kaiming) uniform: U(-b, b) with {@code b = sqrt(6 / fanIn)}. */
    static Init heUniform() {
        return (data, offset, n, shape, rng) -> uniform(data, offset, n, Math.sqrt(6.0 / fanIn(shape)), rng);
    }

    /** He (Kaiming) normal: N(0, 2 / fanIn). */
    static Init heNormal() {
        return (data, offset, n, shape, rng) -> normal(data, offset, n, Math.sqrt(2.0 / fanIn(shape)), rng);
    }

    /** Glorot (Xavier) uniform: U(-b, b) with {@code b = sqrt(6 / (fanIn + fanOut))}. */
    static Init glorotUniform() {
        return (data, offset, n, shape, rng) ->
                uniform(data, offset, n, Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape))), rng);
    }

    /** Glorot (Xavier) normal: N(0, 2 / (fanIn + fanOut)). */
    static Init glorotNormal() {
        return (data, offset, n, shape, rng) ->
                normal(data, offset, n, Math.sqrt(2.0 / (fanIn(shape) + fanOut(shape))), rng);
    }

    /** LeCun uniform: U(-b, b) with {@code b = sqrt(3 / fanIn)}. */
    static Init lecunUniform() {
        return (data, offset, n, shape, rng) -> uniform(data, offset, n, Math.sqrt(3.0 / fanIn(shape)), rng);
    }

    /** LeCun normal: N(0, 1 / fanIn). */
    static Init lecunNormal() {
        return (data, offset, n, shape, rng) -> normal(data, offset, n, Math.sqrt(1.0 / fanIn(shape)), rng);
    }

    /**
     * PyTorch's default weight initialization for Linear and Conv2d, U(-b, b) with {@code b = 1 / sqrt(fanIn)};
     * a layer given this initializer draws its bias from U(-b, b) too.
     */
    static Init torchDefault() {
        return TorchDefault.INSTANCE;
    }

    /** U(-bound, bound). */
    static Init uniform(double bound) {
        return (data, offset, n, shape, rng) -> uniform(data, offset, n, bound, rng);
    }

    /** The bias initializer that goes with a weight initializer for a layer with {@code fanIn} inputs per output. */
    static Init biasFor(Init weightInit, int fanIn) {
        return weightInit == TorchDefault.INSTANCE ? uniform(1 / Math.sqrt(fanIn)) : zeros();
    }

    /** The names {@link #named(String)} accepts. */
    static java.util.List<String> names() {
        return java.util.List.of("he_uniform", "he_normal", "glorot_uniform", "glorot_normal", "lecun_uniform",
                "lecun_normal", "torch_default", "zeros");
    }

    /**
     * The initializer of a name such as {@code he_uniform}; {@code kaiming_*} and {@code xavier_*} are
     * accepted for He and Glorot.
     *
     * @throws IllegalArgumentException for an unknown name, listing the valid ones and the closest
     */
    static Init named(String name) {
        String key = name.toLowerCase(Locale.ROOT).replace("kaiming", "he").replace("xavier", "glorot");
        return switch (key) {
            case "he_uniform" -> heUniform();
            case "he_normal" -> heNormal();
            case "glorot_uniform" -> glorotUniform();
            case "glorot_normal" -> glorotNormal();
            case "lecun_uniform" -> lecunUniform();
            case "lecun_normal" -> lecunNormal();
            case "torch_default", "torch" -> torchDefault();
            case "zeros" -> zeros();
            default -> throw new IllegalArgumentException(
                    dev.descent.optim.spec.Names.unknown("initializer", name, names()));
        };
    }

    /** The fan-in of a shape, as PyTorch computes it. */
    static int fanIn(int[] shape) {
        if (shape.length < 2) {
            return Math.max(1, shape.length == 0 ? 1 : shape[0]);
        }
        return Math.max(1, shape[1] * receptiveField(shape));
    }

    /** The fan-out of a shape, as PyTorch computes it. */
    static int fanOut(int[] shape) {
        if (shape.length < 2) {
            return Math.max(1, shape.length == 0 ? 1 : shape[0]);
        }
        return Math.max(1, shape[0] * receptiveField(shape));
    }

    private static int receptiveField(int[] shape) {
        int r = 1;
        for (int i = 2; i < shape.length; i++) {
            r *= shape[i];
        }
        return r;
    }

    private static void uniform(float[] data, int offset, int n, double bound, RandomGenerator rng) {
        for (int i = 0; i < n; i++) {
            data[offset + i] = (float) rng.nextDouble(-bound, bound);
        }
    }

    private static void normal(float[] data, int offset, int n, double std, RandomGenerator rng) {
        for (int i = 0; i < n; i++) {
            data[offset + i] = (float) (rng.nextGaussian() * std);
        }
    }

    /** PyTorch's default, a singleton so that layers recognize it and initialize their bias to match. */
    enum TorchDefault implements Init {
        INSTANCE;

        @Override
        public void fill(float[] data, int offset, int n, int[] shape, RandomGenerator rng) {
            uniform(data, offset, n, 1 / Math.sqrt(fanIn(shape)), rng);
        }
    }
}
