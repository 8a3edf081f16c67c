package dev.descent.train;

import dev.descent.nn.Model;
import dev.descent.nn.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The safetensors writer and reader: the bytes as the format defines them, and a model's weights round trip. */
class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void theBytesFollowTheFormat() throws Exception {
        Map<String, Safetensors.Entry> tensors = new LinkedHashMap<>();
        tensors.put("0.weight", new Safetensors.Entry(new int[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-8f, -0f}));
        tensors.put("0.bias", new Safetensors.Entry(new int[] {2}, new float[] {0.25f, Float.MAX_VALUE}));
        Path file = dir.resolve("t.safetensors");
        Safetensors.write(file, tensors, Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(file);

        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "the header is padded to 8 bytes");
        assertEquals(8 + n + 4 * 8, bytes.length, "header, then 8 floats of data");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals('{', header.charAt(0));
        assertEquals(header.strip(), header.replaceAll(" +$", ""), "only trailing spaces pad");
        assertTrue(header.contains("\"__metadata__\":{\"format\":\"pt\"}"), header);
        assertTrue(header.contains("\"0.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}"), header);
        assertTrue(header.contains("\"0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]}"), header);
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) (8 + n), 32).order(ByteOrder.LITTLE_ENDIAN);
        float[] all = new float[8];
        for (int i = 0; i < 8; i++) {
            all[i] = data.getFloat();
        }
        assertArrayEquals(new float[] {1, -2, 3.5f, 0, 1e-8f, -0f, 0.25f, Float.MAX_VALUE}, all);
        // float 1.0 little-endian is 00 00 80 3f
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f}, java.util.Arrays.copyOfRange(bytes, (int) (8 + n), (int) (12 + n)));
    }

    @Test
    void aModelRoundTrips() {
        Model a = Models.build("mlp(hidden=[5, 4])", new int[] {1, 3, 3}, 3, 11);
        Model b = Models.build("mlp(hidden=[5, 4])", new int[] {1, 3, 3}, 3, 12);
        Path file = dir.resolve("m.safetensors");
        Safetensors.write(file, Safetensors.of(a), Map.of());
        Map<String, Safetensors.Entry> read = Safetensors.read(file);
        assertEquals(java.util.List.of("1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias"),
                java.util.List.copyOf(read.keySet()));
        assertArrayEquals(new int[] {5, 9}, read.get("1.weight").shape());
        Safetensors.load(b, read, file.toString());
        assertArrayEquals(a.store().data(), b.store().data());

        Model other = Models.build("mlp(hidden=[6])", new int[] {9}, 3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(other, read, "m"));
        assertTrue(e.getMessage().contains("0.weight"), e.getMessage());
    }

    @Test
    void malformedFilesNameWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.decode(new byte[] {1, 2, 3}, "x.safetensors"));
        assertTrue(e.getMessage().startsWith("x.safetensors: 3 bytes"), e.getMessage());
        byte[] bytes = Safetensors.encode(Map.of("w", new Safetensors.Entry(new int[] {2}, new float[] {1, 2})), Map.of());
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 4);
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.decode(cut, "y"));
        assertTrue(e.getMessage().contains("data_offsets"), e.getMessage());
    }
}
