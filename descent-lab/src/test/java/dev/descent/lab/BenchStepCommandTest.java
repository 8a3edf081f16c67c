package dev.descent.lab;

import dev.descent.optim.ParamStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchStepCommandTest {
    private static final Pattern LAST = Pattern.compile("step_ms=(\\S+) gbps=(\\S+)");

    @Test
    void printsMedianAndBandwidthAsTheLastLine() {
        Invocation run = Invocation.of("bench", "step", "--optimizer", "adam(lr=1e-4)", "--params", "1000",
                "--tensors", "3", "--seconds", "0.2");
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        Matcher m = LAST.matcher(lines.get(lines.size() - 1));
        assertTrue(m.matches(), run::toString);
        double ms = Double.parseDouble(m.group(1));
        double gbps = Double.parseDouble(m.group(2));
        assertTrue(ms > 0 && gbps > 0, run::toString);
        assertEquals(28 * 1000 / (ms / 1e3) / 1e9, gbps, 0.01 * gbps + 0.001, "gbps = 28 B * N / median");
        assertTrue(run.err().contains("min ") && run.err().contains("median ") && run.err().contains("max "), run::toString);
    }

    @Test
    void groupRulesSplitTheTensors() {
        Invocation run = Invocation.of("bench", "step", "--optimizer", "adamw(lr=1e-4)", "--params", "1000",
                "--tensors", "4", "--seconds", "0.05", "--group", "t[01]$: weight_decay=0", "--group", "t2: lr=1e-3");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().contains("3 groups by --group t[01]$: weight_decay=0; t2: lr=1e-3"), run::toString);
        assertTrue(LAST.matcher(run.outLines().get(run.outLines().size() - 1)).matches(), run::toString);
    }

    @Test
    void timesAWrapperCountingItsOwnTraffic() {
        Invocation run = Invocation.of("bench", "step", "--optimizer", "ema(adam(lr=1e-4))", "--params", "1000",
                "--tensors", "2", "--seconds", "0.05");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().contains("(40 bytes/param)"), run::toString);
        assertTrue(LAST.matcher(run.outLines().get(run.outLines().size() - 1)).matches(), run::toString);
    }

    @Test
    void splitsParametersIntoTensorsWithTheRemainderInTheLast() {
        ParamStore store = BenchStepCommand.store(1003, 4);
        assertEquals(4, store.params().size());
        assertEquals(250, store.param(0).size());
        assertEquals(253, store.param(3).size());
        assertTrue(store.params().stream().allMatch(p -> p.hasGrad()));
        float[] data = store.data();
        assertTrue(data[0] != 0 && Math.abs(data[0]) <= 0.1f);
        assertEquals(data[17], BenchStepCommand.store(1003, 4).data()[17], "seeded");
    }
}
