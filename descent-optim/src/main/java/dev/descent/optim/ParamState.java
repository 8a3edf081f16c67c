package dev.descent.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * What an optimizer keeps for one parameter: its step count, named buffers laid out like the
 * parameter store (PyTorch's {@code exp_avg}, {@code momentum_buffer}, ...) and named scalars
 * (NAdam's {@code mu_product}).
 *
 * <p>Buffers are flat arrays as long as the whole store, shared by every parameter of that store, so
 * that an update reads element {@code i} of the values, the gradient and each buffer at the same index.
 * A buffer comes into being for a parameter the first time the algorithm asks for it, as PyTorch creates
 * state lazily. An algorithm whose state is smaller than the parameter (Adafactor's row and column
 * accumulators) keeps it in {@linkplain #vector vectors} of their own length instead.
 */
public final class ParamState {
    private final Param param;
    private final Map<String, float[]> storeBuffers;
    private final Set<String> buffers = new LinkedHashSet<>();
    private final Map<String, Double> scalars = new LinkedHashMap<>();
    private final Map<String, float[]> vectors = new LinkedHashMap<>();
    long step;

    ParamState(Param param, Map<String, float[]> storeBuffers) {
        this.param = param;
        this.storeBuffers = storeBuffers;
    }

    /** The number of steps taken on this parameter, counting the one under way. */
    public long step() {
        return step;
    }

    /** Whether the buffer or vector {@code name} exists for this parameter. */
    public boolean has(String name) {
        return buffers.contains(name) || vectors.containsKey(name);
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

    /**
     * A store-wide array {@code name} for the step's own use that is not state: never saved, restored or
     * reported by {@link #has}, and holding whatever the last step left in it (LAMB keeps its update there
     * between the pass that sums its norm and the pass that applies it). Its name must differ from every buffer's.
     */
    public float[] scratch(String name) {
        return storeBuffers.computeIfAbsent(name, k -> new float[param.store().size()]);
    }

    /**
     * This parameter's own array {@code name} of {@code length} floats, zero when new: state not laid out like
     * the store, such as Adafactor's row and column accumulators. The optimizer declares its length through
     * {@link Optimizer#vectorLength} so that a state dict can be checked and restored.
     *
     * @throws IllegalStateException if the vector exists with another length
     */
    public float[] vector(String name, int length) {
        float[] v = vectors.computeIfAbsent(name, k -> new float[length]);
        if (v.length != length) {
            throw new IllegalStateException("state '" + name + "' of parameter '" + param.name() + "' has " + v.length
                    + " elements but " + length + " were asked for");
        }
        return v;
    }

    /** The scalar {@code name}, which is {@code initial} until first set. */
    public double scalar(String name, double initial) {
        return scalars.computeIfAbsent(name, k -> initial);
    }

    /** Sets the scalar {@code name}. */
    public void setScalar(String name, double value) {
        scalars.put(name, value);
    }

    /** A deep copy: {@code step}, each scalar, a copy of this parameter's slice of each buffer and of each vector. */
    Map<String, Object> save() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("step", step);
        out.putAll(scalars);
        for (String name : buffers) {
            out.put(name, Arrays.copyOfRange(storeBuffers.get(name), param.offset(), param.offset() + param.size()));
        }
        vectors.forEach((name, v) -> out.put(name, v.clone()));
        return out;
    }

    /**
     * Checks that {@code saved} could be restored into the state of {@code param}; throws if not.
     * {@code vectorLength} gives the length of each array kept as a vector, -1 for buffers.
     */
    static void check(Param param, Map<String, Object> saved, ToIntFunction<String> vectorLength) {
        for (Map.Entry<String, Object> e : saved.entrySet()) {
            Object v = e.getValue();
            int vector = vectorLength.applyAsInt(e.getKey());
            if (v instanceof float[] && vector >= 0 && ((float[]) v).length != vector) {
                throw new IllegalArgumentException("state '" + e.getKey() + "' of parameter '" + param.name() + "' has "
                        + ((float[]) v).length + " elements but " + vector + " are expected for its shape "
                        + Arrays.toString(param.shape()));
            }
            if (v instanceof float[] && vector < 0 && ((float[]) v).length != param.size()) {
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

    /** Restores what {@link #save()} wrote; {@link #check} has accepted it with the same {@code vectorLength}. */
    void load(Map<String, Object> saved, ToIntFunction<String> vectorLength) {
        buffers.clear();
        scalars.clear();
        vectors.clear();
        step = 0;
        for (Map.Entry<String, Object> e : saved.entrySet()) {
            Object v = e.getValue();
            if (e.getKey().equals("step")) {
                step = ((Number) v).longValue();
            } else if (v instanceof float[] && vectorLength.applyAsInt(e.getKey()) >= 0) {
                vectors.put(e.getKey(), ((float[]) v).clone());
            } else if (v instanceof float[]) {
                System.arraycopy((float[]) v, 0, buffer(e.getKey()), param.offset(), param.size());
            } else {
                scalars.put(e.getKey(), ((Number) v).doubleValue());
            }
        }
    }
}
