package dev.descent.train;

import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.optim.ParamStore;
import dev.descent.optim.schedule.HyperparameterSchedules;
import dev.descent.optim.schedule.Schedules;
import dev.descent.optim.spec.Spec;
import dev.descent.optim.spec.SpecParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** State files: every value type back exactly, and an optimizer with its schedule saved, loaded and stepped on. */
class StateFileTest {
    @TempDir
    Path dir;

    @Test
    void valuesComeBackExactly() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("d", Math.PI);
        m.put("nan", Double.NaN);
        m.put("f", 0.1f);
        m.put("i", -3);
        m.put("l", Long.MIN_VALUE);
        m.put("s", "héllo");
        m.put("none", null);
        m.put("spec_none", Spec.NONE);
        m.put("spec", SpecParser.parse("sequentiallr(linearlr(start_factor=0.1, total_iters=3), steplr(step_size=2), milestones=[3])"));
        m.put("b", true);
        m.put("floats", new float[] {1e-45f, -0f});
        m.put("list", List.of(new double[] {0.1}, new int[] {1, 2}, new long[] {3}, new boolean[] {true}));
        Path file = dir.resolve("s.state");
        StateFile.write(file, m);
        Map<String, Object> back = StateFile.read(file);
        assertEquals(m.keySet(), back.keySet());
        assertEquals(Math.PI, back.get("d"));
        assertTrue(Double.isNaN((Double) back.get("nan")));
        assertEquals(0.1f, back.get("f"));
        assertEquals(Long.MIN_VALUE, back.get("l"));
        assertEquals("héllo", back.get("s"));
        assertNull(back.get("none"));
        assertSame(Spec.NONE, back.get("spec_none"), "none stays the spec's none, as L-BFGS's line_search_fn");
        assertEquals(m.get("spec"), back.get("spec"), "a spec, as scale_by_schedule's schedule, comes back equal");
        assertArrayEquals(new float[] {1e-45f, -0f}, (float[]) back.get("floats"));
        assertArrayEquals(new int[] {1, 2}, (int[]) ((List<?>) back.get("list")).get(1));
    }

    @Test
    void anOptimizerWithItsScheduleResumesBitForBit() {
        ParamStore a = ParamStore.of("w", 1f, -2f, 3f);
        ParamStore b = ParamStore.of("w", 1f, -2f, 3f);
        Optimizer oa = Optimizers.parse("adam(lr=0.1, amsgrad=true)").build(a.params());
        HyperparameterSchedules sa = HyperparameterSchedules.attach(oa).follow("lr", Schedules.parse("steplr(step_size=2, gamma=0.5)"));
        for (int k = 0; k < 3; k++) {
            step(a, oa, k);
            sa.step();
        }
        Path file = dir.resolve("opt.state");
        StateFile.write(file, StateFile.fromStateDict(oa.stateDict()));
        System.arraycopy(a.data(), 0, b.data(), 0, 3);
        Optimizer ob = Optimizers.parse("adam(lr=0.1, amsgrad=true)").build(b.params());
        HyperparameterSchedules sb = HyperparameterSchedules.attach(ob).follow("lr", Schedules.parse("steplr(step_size=2, gamma=0.5)"));
        ob.loadStateDict(StateFile.toStateDict(StateFile.read(file)));
        assertEquals(oa.lr(), ob.lr());
        for (int k = 3; k < 6; k++) {
            step(a, oa, k);
            sa.step();
            step(b, ob, k);
            sb.step();
        }
        assertArrayEquals(a.data(), b.data());
    }

    private static void step(ParamStore s, Optimizer o, int k) {
        for (int i = 0; i < 3; i++) {
            s.grad()[i] = s.data()[i] * (k + 1) - 0.5f;
        }
        s.markGradsDefined();
        o.step();
    }

    @Test
    void aForeignFileIsNamed() throws Exception {
        Path file = dir.resolve("x.state");
        Files.writeString(file, "hello world");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StateFile.read(file));
        assertTrue(e.getMessage().contains("x.state") && e.getMessage().contains("byte 0"), e.getMessage());
    }
}
