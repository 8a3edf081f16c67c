package dev.descent.train;

import dev.descent.optim.StateDict;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecParser;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saved state as exact binary: a map of named values (numbers by their bits, strings, {@code none}, specs, arrays of every
 * primitive type, nested maps and lists), written atomically. It holds an optimizer's {@link StateDict}
 * (hyperparameters, per-parameter moments, and the attached schedules' steps and history) and the
 * training loop's own state, both of which must come back bit for bit on resume.
 *
 * <p>The format: the 8 bytes {@code DSTATE1\n}, then one value, each value a tag byte and its payload
 * (big-endian, as {@link DataOutputStream} writes).
 */
public final class StateFile {
    private static final byte[] MAGIC = {'D', 'S', 'T', 'A', 'T', 'E', '1', '\n'};
    private static final int NULL = 0;
    private static final int FALSE = 1;
    private static final int TRUE = 2;
    private static final int INT = 3;
    private static final int LONG = 4;
    private static final int FLOAT = 5;
    private static final int DOUBLE = 6;
    private static final int STRING = 7;
    private static final int FLOATS = 8;
    private static final int DOUBLES = 9;
    private static final int INTS = 10;
    private static final int LONGS = 11;
    private static final int BOOLEANS = 12;
    private static final int MAP = 13;
    private static final int LIST = 14;
    /** {@link Spec#NONE}, the {@code none} of a hyperparameter that allows it (L-BFGS's {@code line_search_fn}). */
    private static final int NONE = 15;
    /** A {@link Spec} value (scale_by_schedule's schedule), as its canonical text, parsed back on reading. */
    private static final int SPEC = 16;

    private StateFile() {
    }

    /** Writes a map of values to {@code path} atomically. */
    public static void write(Path path, Map<String, Object> values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            value(out, values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicWrite.bytes(path, bytes.toByteArray());
    }

    /**
     * Reads the map of values {@link #write} wrote.
     *
     * @throws IllegalArgumentException naming the file and the byte offset when it is not such a file
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path path) {
        byte[] data;
        try {
            data = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path + ": " + e.getMessage(), e);
        }
        ByteArrayInputStream bytes = new ByteArrayInputStream(data);
        try (DataInputStream in = new DataInputStream(bytes)) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException(path + ": not a descent state file (no DSTATE1 at byte 0)");
            }
            Object v = value(in, path, data.length, bytes);
            if (!(v instanceof Map<?, ?>) || bytes.available() != 0) {
                throw new IllegalArgumentException(path + ": malformed state at byte " + (data.length - bytes.available()));
            }
            return (Map<String, Object>) v;
        } catch (EOFException e) {
            throw new IllegalArgumentException(path + ": truncated at byte " + data.length, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An optimizer snapshot as a map of values, for {@link #write}. */
    public static Map<String, Object> fromStateDict(StateDict dict) {
        Map<String, Object> state = new LinkedHashMap<>();
        dict.state().forEach((index, s) -> state.put(Integer.toString(index), s));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("param_groups", new ArrayList<Object>(dict.paramGroups()));
        out.put("state", state);
        out.put("attachments", new LinkedHashMap<String, Object>(dict.attachments()));
        return out;
    }

    /** The optimizer snapshot {@link #fromStateDict} turned into a map of values. */
    @SuppressWarnings("unchecked")
    public static StateDict toStateDict(Map<String, Object> values) {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Object g : (List<Object>) values.get("param_groups")) {
            groups.add((Map<String, Object>) g);
        }
        Map<Integer, Map<String, Object>> state = new LinkedHashMap<>();
        ((Map<String, Object>) values.get("state")).forEach((k, v) -> state.put(Integer.parseInt(k), (Map<String, Object>) v));
        Map<String, Map<String, Object>> attachments = new LinkedHashMap<>();
        ((Map<String, Object>) values.get("attachments")).forEach((k, v) -> attachments.put(k, (Map<String, Object>) v));
        return new StateDict(groups, state, attachments);
    }

    private static void value(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v == Spec.NONE) {
            out.writeByte(NONE);
        } else if (v instanceof Spec spec) {
            out.writeByte(SPEC);
            out.writeUTF(spec.toString());
        } else if (v instanceof Boolean b) {
            out.writeByte(b ? TRUE : FALSE);
        } else if (v instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i);
        } else if (v instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (v instanceof Float f) {
            out.writeByte(FLOAT);
            out.writeInt(Float.floatToRawIntBits(f));
        } else if (v instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeLong(Double.doubleToRawLongBits(d));
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        } else if (v instanceof float[] a) {
            out.writeByte(FLOATS);
            out.writeInt(a.length);
            for (float x : a) {
                out.writeInt(Float.floatToRawIntBits(x));
            }
        } else if (v instanceof double[] a) {
            out.writeByte(DOUBLES);
            out.writeInt(a.length);
            for (double x : a) {
                out.writeLong(Double.doubleToRawLongBits(x));
            }
        } else if (v instanceof int[] a) {
            out.writeByte(INTS);
            out.writeInt(a.length);
            for (int x : a) {
                out.writeInt(x);
            }
        } else if (v instanceof long[] a) {
            out.writeByte(LONGS);
            out.writeInt(a.length);
            for (long x : a) {
                out.writeLong(x);
            }
        } else if (v instanceof boolean[] a) {
            out.writeByte(BOOLEANS);
            out.writeInt(a.length);
            for (boolean x : a) {
                out.writeBoolean(x);
            }
        } else if (v instanceof Map<?, ?> m) {
            out.writeByte(MAP);
            out.writeInt(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                value(out, e.getKey().toString());
                value(out, e.getValue());
            }
        } else if (v instanceof List<?> list) {
            out.writeByte(LIST);
            out.writeInt(list.size());
            for (Object x : list) {
                value(out, x);
            }
        } else {
            throw new IllegalArgumentException("cannot save a value of type " + v.getClass().getName());
        }
    }

    private static Object value(DataInputStream in, Path path, int total, ByteArrayInputStream bytes) throws IOException {
        int at = total - bytes.available();
        int tag = in.readUnsignedByte();
        switch (tag) {
            case NULL:
                return null;
            case NONE:
                return Spec.NONE;
            case SPEC:
                return SpecParser.parse(in.readUTF());
            case FALSE:
                return false;
            case TRUE:
                return true;
            case INT:
                return in.readInt();
            case LONG:
                return in.readLong();
            case FLOAT:
                return Float.intBitsToFloat(in.readInt());
            case DOUBLE:
                return Double.longBitsToDouble(in.readLong());
            default:
                break;
        }
        int n = in.readInt();
        if (n < 0 || n > bytes.available()) {
            throw new IllegalArgumentException(path + ": bad length " + n + " at byte " + (at + 1));
        }
        switch (tag) {
            case STRING:
                return new String(in.readNBytes(n), java.nio.charset.StandardCharsets.UTF_8);
            case FLOATS: {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = Float.intBitsToFloat(in.readInt());
                }
                return a;
            }
            case DOUBLES: {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = Double.longBitsToDouble(in.readLong());
                }
                return a;
            }
            case INTS: {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.readInt();
                }
                return a;
            }
            case LONGS: {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.readLong();
                }
                return a;
            }
            case BOOLEANS: {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.readBoolean();
                }
                return a;
            }
            case MAP: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object key = value(in, path, total, bytes);
                    if (!(key instanceof String k)) {
                        throw new IllegalArgumentException(path + ": a map key that is not a string before byte "
                                + (total - bytes.available()));
                    }
                    m.put(k, value(in, path, total, bytes));
                }
                return m;
            }
            case LIST: {
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(value(in, path, total, bytes));
                }
                return list;
            }
            default:
                throw new IllegalArgumentException(path + ": unknown value tag " + tag + " at byte " + at);
        }
    }
}
