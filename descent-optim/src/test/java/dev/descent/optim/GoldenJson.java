package dev.descent.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the golden files that tools/golden writes (test resources under {@code /golden/}) and their arrays. */
public final class GoldenJson {
    private GoldenJson() {
    }

    /** The parsed test resource {@code /golden/<name>.json}; a missing resource is an IllegalStateException. */
    public static JsonNode read(String name) {
        String path = "/golden/" + name + ".json";
        try (InputStream in = GoldenJson.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON array of numbers as doubles. */
    public static double[] doubles(JsonNode node) {
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asDouble();
        }
        return out;
    }

    /** A JSON array of arrays of numbers as rows of doubles. */
    public static double[][] rows(JsonNode node) {
        double[][] out = new double[node.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles(node.get(i));
        }
        return out;
    }
}
