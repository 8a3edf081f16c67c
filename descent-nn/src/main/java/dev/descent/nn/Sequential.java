package dev.descent.nn;

import dev.descent.tensor.Tape;
import dev.descent.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Modules applied one after another, named {@code 0}, {@code 1}, ... as in PyTorch's
 * {@code nn.Sequential}, so that the first layer's weight is {@code 0.weight}.
 */
public final class Sequential extends Module {
    private final List<Module> layers;

    /** The given modules, in order. */
    public Sequential(Module... layers) {
        this(List.of(layers));
    }

    /** The given modules, in order. */
    public Sequential(List<Module> layers) {
        this.layers = List.copyOf(layers);
    }

    /** The modules, in order. */
    public List<Module> layers() {
        return layers;
    }

    @Override
    public Map<String, Module> children() {
        Map<String, Module> m = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            m.put(Integer.toString(i), layers.get(i));
        }
        return m;
    }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        Tensor y = x;
        for (Module layer : layers) {
            y = layer.forward(tape, y);
        }
        return y;
    }

    @Override
    public String describe() {
        return "Sequential(" + layers.size() + " layers)";
    }
}
