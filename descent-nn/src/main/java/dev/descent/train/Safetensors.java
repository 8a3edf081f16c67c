package dev.descent.train;

import dev.descent.nn.Model;
import dev.descent.optim.Param;
import dev.descent.optim.ParamStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Float32 tensors in the safetensors format (Hugging Face's), which PyTorch loads with
 * {@code safetensors.torch.load_file}: an 8-byte little-endian unsigned header length N, N bytes of a JSON
 * object that maps each tensor's name to {@code {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}}
 * (byte offsets into the data that follows, tensors back to back in header order) and an optional
 * {@code "__metadata__"} object of strings, padded with spaces to a multiple of 8 bytes, then the raw
 * little-endian data.
 *
 * <p>A {@link Model}'s file holds its parameters under their PyTorch names ({@code 0.weight}, {@code 3.bias})
 * and its buffers ({@code 1.running_mean}), so that {@code model.load_state_dict(load_file(path), strict=False)}
 * fills the same PyTorch module.
 */
public final class Safetensors {
    private static final long MAX_HEADER = 100L << 20;

    /**
     * One tensor: its shape and its values, row-major.
     *
     * @param shape the dimensions
     * @param data  the values, as many as the shape's product
     */
    public record Entry(int[] shape, float[] data) {
        /** Checks that the data fits the shape. */
        public Entry {
            long n = 1;
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("safetensors: negative dimension in shape " + Arrays.toString(shape));
                }
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("safetensors: shape " + Arrays.toString(shape) + " holds " + n
                        + " values but the data has " + data.length);
            }
        }
    }

    private Safetensors() {
    }

    /** The file's bytes for the given tensors, in map order, with optional string metadata. */
    public static byte[] encode(Map<String, Entry> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("safetensors: a tensor cannot be named __metadata__");
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            List<Object> shape = new ArrayList<>();
            for (int d : e.getValue().shape()) {
                shape.add((long) d);
            }
            entry.put("shape", shape);
            long end = offset + 4L * e.getValue().data().length;
            entry.put("data_offsets", List.of(offset, end));
            header.put(e.getKey(), entry);
            offset = end;
        }
        byte[] json = Json.write(header, false).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        if (8L + padded + offset > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("safetensors: " + offset + " bytes of tensors are too many for one array");
        }
        ByteBuffer b = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded);
        b.put(json);
        for (int i = json.length; i < padded; i++) {
            b.put((byte) ' ');
        }
        for (Entry t : tensors.values()) {
            b.asFloatBuffer().put(t.data());
            b.position(b.position() + 4 * t.data().length);
        }
        return b.array();
    }

    /**
     * The tensors of a safetensors file's bytes, in header order; only F32 tensors are read.
     *
     * @param source what to call the bytes in errors, such as the file name
     * @throws IllegalArgumentException naming the source and the byte offset, for anything malformed
     */
    public static Map<String, Entry> decode(byte[] bytes, String source) {
        if (bytes.length < 8) {
            throw new IllegalArgumentException(source + ": " + bytes.length + " bytes, too short for the 8-byte header length at byte 0");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong(0);
        if (n < 2 || n > MAX_HEADER || 8 + n > bytes.length) {
            throw new IllegalArgumentException(source + ": header length " + n + " at byte 0 does not fit the file's "
                    + bytes.length + " bytes");
        }
        Object parsed = Json.parse(new String(bytes, 8, (int) n, StandardCharsets.UTF_8), source + " (header at byte 8)");
        if (!(parsed instanceof Map<?, ?> header)) {
            throw new IllegalArgumentException(source + ": the header at byte 8 is not a JSON object");
        }
        long dataStart = 8 + n;
        long dataLength = bytes.length - dataStart;
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> entry)) {
                throw new IllegalArgumentException(source + ": header entry '" + name + "' is not an object");
            }
            if (!"F32".equals(entry.get("dtype"))) {
                throw new IllegalArgumentException(source + ": tensor '" + name + "' has dtype " + entry.get("dtype")
                        + "; only F32 is read");
            }
            long[] shape = longs(entry.get("shape"), source, name, "shape");
            long[] offsets = longs(entry.get("data_offsets"), source, name, "data_offsets");
            long count = 1;
            for (long d : shape) {
                if (d < 0 || d > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(source + ": tensor '" + name + "' has a bad dimension " + d);
                }
                count *= d;
            }
            if (offsets.length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength
                    || offsets[1] - offsets[0] != 4 * count) {
                throw new IllegalArgumentException(source + ": tensor '" + name + "' has data_offsets "
                        + Arrays.toString(offsets) + ", which do not hold " + count + " floats within the "
                        + dataLength + " data bytes from byte " + dataStart);
            }
            float[] data = new float[(int) count];
            ByteBuffer slice = ByteBuffer.wrap(bytes, (int) (dataStart + offsets[0]), (int) (4 * count))
                    .order(ByteOrder.LITTLE_ENDIAN);
            slice.asFloatBuffer().get(data);
            int[] dims = new int[shape.length];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = (int) shape[i];
            }
            out.put(name, new Entry(dims, data));
        }
        return out;
    }

    private static long[] longs(Object v, String source, String name, String key) {
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException(source + ": tensor '" + name + "' has no " + key + " list");
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l)) {
                throw new IllegalArgumentException(source + ": tensor '" + name + "' has a non-integer in " + key);
            }
            out[i] = l;
        }
        return out;
    }

    /** Writes tensors to {@code path} atomically (a temporary file beside it, then a rename). */
    public static void write(Path path, Map<String, Entry> tensors, Map<String, String> metadata) {
        AtomicWrite.bytes(path, encode(tensors, metadata));
    }

    /** Reads the tensors of a safetensors file. */
    public static Map<String, Entry> read(Path path) {
        try {
            return decode(Files.readAllBytes(path), path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path + ": " + e.getMessage(), e);
        }
    }

    /** A model's parameters (copies, with their shapes and PyTorch names) and then its buffers, as tensors. */
    public static Map<String, Entry> of(Model model) {
        Map<String, Entry> out = new LinkedHashMap<>();
        ParamStore store = model.store();
        for (Param p : store.params()) {
            out.put(p.name(), new Entry(p.shape(), Arrays.copyOfRange(store.data(), p.offset(), p.offset() + p.size())));
        }
        model.buffers().forEach((name, values) -> out.put(name, new Entry(new int[] {values.length}, values.clone())));
        return out;
    }

    /**
     * Copies tensors into a model's parameters and buffers by name.
     *
     * @param source what to call the tensors in errors
     * @throws IllegalArgumentException when a parameter or buffer is missing or has another shape, or a
     *                                  tensor is not the model's
     */
    public static void load(Model model, Map<String, Entry> tensors, String source) {
        ParamStore store = model.store();
        int used = 0;
        for (Param p : store.params()) {
            Entry t = require(tensors, p.name(), source);
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalArgumentException(source + ": tensor '" + p.name() + "' has shape "
                        + Arrays.toString(t.shape()) + " but the model's parameter has " + Arrays.toString(p.shape()));
            }
            System.arraycopy(t.data(), 0, store.data(), p.offset(), p.size());
            used++;
        }
        for (Map.Entry<String, float[]> b : model.buffers().entrySet()) {
            Entry t = require(tensors, b.getKey(), source);
            if (t.data().length != b.getValue().length) {
                throw new IllegalArgumentException(source + ": buffer '" + b.getKey() + "' has " + t.data().length
                        + " values but the model's has " + b.getValue().length);
            }
            System.arraycopy(t.data(), 0, b.getValue(), 0, t.data().length);
            used++;
        }
        if (used != tensors.size()) {
            List<String> extra = new ArrayList<>(tensors.keySet());
            extra.removeAll(model.buffers().keySet());
            store.params().forEach(p -> extra.remove(p.name()));
            throw new IllegalArgumentException(source + ": tensors " + extra + " are not in the model");
        }
    }

    private static Entry require(Map<String, Entry> tensors, String name, String source) {
        Entry t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(source + ": no tensor '" + name + "'; the file has " + tensors.keySet());
        }
        return t;
    }
}
