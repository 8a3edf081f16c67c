package dev.descent.optim;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Replays what PyTorch 1.13's clip_grad_norm_ and clip_grad_value_, and timm's adaptive_clip_grad, did to
 * seeded gradients (tools/golden/clip.py): the returned norm and every clipped gradient element within
 * 1e-6 relative, NaN where torch has NaN.
 */
class GradClipGoldenTest {
    private static final double TOLERANCE = 1e-6;
    private static final List<JsonNode> RUNS = load();
    private static long elements;
    private static long bitExact;
    private static long maxUlps;

    private static List<JsonNode> load() {
        List<JsonNode> runs = new ArrayList<>();
        GoldenJson.read("clip").get("runs").forEach(runs::add);
        return runs;
    }

    static double number(JsonNode n) {
        if (n.isTextual()) {
            switch (n.asText()) {
                case "nan": return Double.NaN;
                case "inf": return Double.POSITIVE_INFINITY;
                case "-inf": return Double.NEGATIVE_INFINITY;
                default: throw new IllegalArgumentException("not a number: " + n);
            }
        }
        return n.asDouble();
    }

    private static float[] floats(JsonNode node) {
        float[] out = new float[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) number(node.get(i));
        }
        return out;
    }

    /** A store laid out as the run's parameters, with their values and (where defined) gradients. */
    private static ParamStore store(JsonNode run) {
        ParamStore.Builder b = ParamStore.builder();
        for (JsonNode p : run.get("params")) {
            int[] shape = new int[p.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = p.get("shape").get(i).asInt();
            }
            b.add(p.get("name").asText(), shape);
        }
        ParamStore store = b.build();
        for (int i = 0; i < store.params().size(); i++) {
            JsonNode p = run.get("params").get(i);
            store.param(i).set(floats(p.get("values")));
            if (!p.get("grad").isNull()) {
                store.param(i).setGrad(floats(p.get("grad")));
            }
        }
        return store;
    }

    private static boolean close(double ours, double torch) {
        if (Double.isNaN(torch) || Double.isInfinite(torch) || torch == 0) {
            return Double.compare(ours, torch) == 0 || (torch == 0 && ours == 0);
        }
        return Math.abs(ours - torch) <= TOLERANCE * Math.abs(torch);
    }

    @Test
    void coversEveryNormTypeAndKind() {
        List<String> ids = new ArrayList<>();
        RUNS.forEach(r -> ids.add(r.get("id").asText()));
        for (String needle : List.of("norm-0.5-", "norm-1.0-", "norm-2.0-", "norm-3.5-", "norm-inf-", "-below", "-above",
                "-near", "-nan-error", "-inf-scale", "value-", "agc-", "all-without-grad")) {
            assertTrue(ids.stream().anyMatch(id -> id.contains(needle)), "no golden run " + needle);
        }
        assertEquals(33, RUNS.size());
    }

    @TestFactory
    Stream<DynamicTest> replay() {
        return RUNS.stream().map(run -> DynamicTest.dynamicTest(run.get("id").asText(), () -> replay(run)));
    }

    private static void replay(JsonNode run) {
        String id = run.get("id").asText();
        ParamStore store = store(run);
        List<Param> params = store.params();
        switch (run.get("kind").asText()) {
            case "norm": {
                double normType = number(run.get("norm_type"));
                double maxNorm = run.get("max_norm").asDouble();
                boolean error = run.get("error_if_nonfinite").asBoolean();
                if (run.has("error")) {
                    float[] before = store.grad().clone();
                    ArithmeticException e = assertThrows(ArithmeticException.class,
                            () -> GradClip.clipGradNorm(params, maxNorm, normType, error));
                    assertTrue(e.getMessage().contains("errorIfNonfinite=false"), e.getMessage());
                    assertArrayEquals(before, store.grad(), id + ": an error leaves the gradients unchanged");
                    return;
                }
                double norm = GradClip.clipGradNorm(params, maxNorm, normType, error);
                double torchNorm = number(run.get("total_norm"));
                if (!close(norm, torchNorm)) {
                    fail(id + ": norm " + norm + ", torch " + torchNorm);
                }
                float coef = GradClip.clipCoefficient(torchNorm, maxNorm);
                assertEquals(Float.floatToIntBits((float) number(run.get("clip_coef"))), Float.floatToIntBits(coef),
                        id + ": from torch's float32 norm, the clip coefficient is torch's bit for bit");
                break;
            }
            case "value":
                GradClip.clipGradValue(params, run.get("clip_value").asDouble());
                break;
            case "agc":
                GradClip.adaptiveClipGrad(params, run.get("clip_factor").asDouble(), run.get("eps").asDouble());
                break;
            default:
                fail("unknown kind " + run.get("kind"));
        }
        for (int i = 0; i < params.size(); i++) {
            JsonNode torch = run.get("clipped").get(i);
            Param p = params.get(i);
            if (torch.isNull()) {
                assertFalse(p.hasGrad(), id);
                continue;
            }
            float[] want = floats(torch);
            float[] got = p.grad();
            for (int k = 0; k < want.length; k++) {
                elements++;
                if (Float.floatToIntBits(want[k]) == Float.floatToIntBits(got[k])) {
                    bitExact++;
                } else if (!close(got[k], want[k])) {
                    fail(id + ": " + p.name() + "[" + k + "] = " + got[k] + ", torch " + want[k]);
                } else {
                    maxUlps = Math.max(maxUlps, Math.round(Math.abs(got[k] - want[k]) / Math.ulp(want[k])));
                }
            }
        }
    }

    @AfterAll
    static void report() {
        System.out.println("GradClipGoldenTest: " + bitExact + " of " + elements + " clipped gradient elements bit-exact, the others within "
                + maxUlps + " ulps");
    }
}
