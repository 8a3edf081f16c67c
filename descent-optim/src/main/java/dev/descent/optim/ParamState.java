package dev.descent.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What an optimizer keeps for one parameter: its step count, named buffers laid out like the
 * parameter store (PyTorch's {@code exp_avg}, {@code momentum_buffer}, ...) and named scalars
 * (NAdam's {@code mu_product}).
 *
 * <p>Buffers are flat arrays as long as the whole store, shared by every parameter of that store, so
 * that an update reads element {@code i} of the values, the gradient and each buffer at the same index.
 * A buffer comes into being for a parameter the first time the algorithm asks for it, as PyTorch creates
 * state lazily.
 */
public final class ParamState {
    private final Param param;
    private final Map<String, float[]> storeBuffers;
    private final Set<String> buffers = new LinkedHashSet<>();
    private final Map<String, Double> scalars = new LinkedHashMap<>();
    long step;

    ParamState(Param param, Map<String, float[]> storeBuffers) {
        this.param = param;
        this.storeBuffers = storeBuffers;
    }

    /** The number of steps taken on this parameter, counting the one under way. */
    public long step() {
        return step;
    }

    /** Whether the buffer {@code name} exists for this parameter. */
    public boolean has(String name) {
        return buffers.contains(name);
    }

    /** The store-wide array of buffer {@code name}; this parameter's slice starts at zero when new. */
    public float[] buffer(String name) {
        return buffer(name, 0f);
    }

    /** The store-wide array of buffer {@code name}; this parameter's slice starts at {@code initial} when new. */
    public float[] buffer(String name, float initial) {
        float[] array = storeBuffers.computeIfAbsent(name, k -> new float[param.store().size()]);
        if (buffers.add(name)) {
            Arrays.fill(array, param.offset(), param.offset() + param.size(), initial);
        }
        return array;
    }

    /** The scalar {@code name}, which is {@code initial} until first set. */
    public double scalar(String name, double initial) {
        return scalars.computeIfAbsent(name, k -> initial);
    }

    /** Sets the scalar {@code name}. */
    public void setScalar(String name, double value) {
        scalars.put(name, value);
    }

    /** A deep copy: {@code step}, each scalar, and a copy of this parameter's slice of each buffer. */
    Map<String, Object> save() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("step", step);
        out.putAll(scalars);
        for (String name : buffers) {
            out.put(name, Arrays.copyOfRange(storeBuffers.get(name), param.offset(), param.offset() + param.size()));
        }
        return out;
    }

    /** Checks that {@code saved} could be restored into the state of {@code param}; throws if not. */
    static void check(Param param, Map<String, Object> saved) {
        for (Map.Entry<String, Object> e : saved.entrySet()) {
            Object v = e.getValue();
            if (v instanceof float[] && ((float[]) v).length != param.size()) {
                throw new IllegalArgumentException("state '" + e.getKey() + "' of parameter '" + param.name() + "' has "
                        + ((float[]) v).length + " elements but the parameter has " + param.size());
            }
            if (!(v instanceof float[]) && !(v instanceof Number)) {
                throw new IllegalArgumentException("state '" + e.getKey() + "' of parameter '" + param.name()
                        + "' holds a " + (v == null ? "null" : v.getClass().getSimpleName())
                        + "; expected a number or a float array");
            }
        }
    }

    /** Restores what {@link #save()} wrote; {@link #check} has accepted it. */
    void load(Map<String, Object> saved) {
        buffers.clear();
        scalars.clear();
        step = 0;
        for (Map.Entry<String, Object> e : saved.entrySet()) {
            Object v = e.getValue();
            if (e.getKey().equals("step")) {
                step = ((Number) v).longValue();
            } else if (v instanceof float[]) {
                System.arraycopy((float[]) v, 0, buffer(e.getKey()), param.offset(), param.size());
            } else {
                scalars.put(e.getKey(), ((Number) v).doubleValue());
            }
        }
    }
}
