package dev.descent.lab;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad usage and bad input: exit 2, one line on stderr that says what is wrong, nothing on stdout. */
class BadInputTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("unknown problem 'rosenbrok'; did you mean 'rosenbrock'?",
                        new String[] {"trace", "--problem", "rosenbrok", "--optimizer", "adam", "--steps", "5"}),
                Arguments.of("unknown problem 'nope'",
                        new String[] {"trace", "--problem", "nope", "--optimizer", "adam", "--steps", "5"}),
                Arguments.of("--init 1: got 1 number but rosenbrock takes 2 numbers",
                        new String[] {"trace", "--problem", "rosenbrock", "--init", "1", "--optimizer", "adam", "--steps", "5"}),
                Arguments.of("--init 1,2,3: got 3 numbers but rosenbrock takes 2",
                        new String[] {"trace", "--problem", "rosenbrock", "--init", "1,2,3", "--optimizer", "adam", "--steps", "5"}),
                Arguments.of("'x' is not a number; quadratic takes 4 numbers",
                        new String[] {"trace", "--problem", "quadratic", "--init", "1,x,2,3", "--optimizer", "adam", "--steps", "5"}),
                Arguments.of("'NaN' is not a number",
                        new String[] {"trace", "--problem", "beale", "--init", "NaN,1", "--optimizer", "adam", "--steps", "5"}),
                Arguments.of("--steps -1: the number of steps must be 0 or more",
                        new String[] {"trace", "--problem", "beale", "--optimizer", "adam", "--steps", "-1"}),
                Arguments.of("'--steps=N'",
                        new String[] {"trace", "--problem", "beale", "--optimizer", "adam"}),
                Arguments.of("'--optimizer=SPEC'",
                        new String[] {"trace", "--problem", "beale", "--steps", "3"}),
                Arguments.of("'abc' is not an int",
                        new String[] {"trace", "--problem", "beale", "--optimizer", "adam", "--steps", "abc"}),
                Arguments.of("--optimizer \"adam(lr=-1)\": adam: lr=-1 is invalid: must be >= 0",
                        new String[] {"trace", "--problem", "beale", "--optimizer", "adam(lr=-1)", "--steps", "3"}),
                Arguments.of("unknown optimizer 'adm'; did you mean 'adam'?",
                        new String[] {"trace", "--problem", "beale", "--optimizer", "adm(lr=1)", "--steps", "3"}),
                Arguments.of("--optimizer: spec \"adam(lr=\"",
                        new String[] {"trace", "--problem", "beale", "--optimizer", "adam(lr=", "--steps", "3"}),
                Arguments.of("unknown key for adam 'lrr'",
                        new String[] {"trace", "--problem", "beale", "--optimizer", "adam(lr=0.1)", "--optimizer", "adam(lrr=1)", "--steps", "3"}),
                Arguments.of("sgd: lr is required",
                        new String[] {"trace", "--problem", "beale", "--optimizer", "sgd", "--steps", "3"}),
                Arguments.of("--plot x.gif: unknown image type '.gif'; name the file .png or .svg",
                        new String[] {"trace", "--problem", "beale", "--optimizer", "adam", "--steps", "3", "--plot", "x.gif"}),
                Arguments.of("missing command",
                        new String[] {}),
                Arguments.of("unmatched argument at index 0: 'tracee'; did you mean trace or train?",
                        new String[] {"tracee"}),
                Arguments.of("--problem: unknown problem 'bael'; did you mean 'beale'?",
                        new String[] {"compare", "--problems", "rosenbrock,bael"}),
                Arguments.of("--optimizers \"adam(betas=(0.9, 1.5))\": adam: betas=(0.9, 1.5) is invalid",
                        new String[] {"compare", "--optimizers", "sgd(lr=0.001); adam(betas=(0.9, 1.5))"}),
                Arguments.of("--optimizers: no optimizer given",
                        new String[] {"compare", "--optimizers", " ; "}),
                Arguments.of("--steps -5: the number of steps must be 0 or more",
                        new String[] {"compare", "--problem", "rosenbrock", "--steps", "-5"}),
                Arguments.of("--steps applies to --problem runs",
                        new String[] {"compare", "--steps", "5"}),
                Arguments.of("--epochs applies to training comparisons",
                        new String[] {"compare", "--problem", "beale", "--epochs", "2"}),
                Arguments.of("unknown optimizer 'adamm'; did you mean 'adam'?",
                        new String[] {"compare", "--optimizers", "sgd(lr=0.1); adamm(lr=0.1)", "--data", "blobs(n=50)"}),
                Arguments.of("--data nope: unknown data set 'nope'",
                        new String[] {"compare", "--data", "nope", "--out", "target/never-written"}),
                Arguments.of("unknown model 'mpl'",
                        new String[] {"compare", "--data", "blobs(n=50)", "--model", "mpl(hidden=[4])", "--out", "target/never-written"}),
                Arguments.of("--jobs applies to training comparisons",
                        new String[] {"compare", "--problem", "beale", "--jobs", "2"}),
                Arguments.of("--seeds 0: must be 1 or more",
                        new String[] {"compare", "--seeds", "0"}),
                Arguments.of("--out pom.xml/runs: cannot be created",
                        new String[] {"compare", "--data", "blobs(n=50)", "--out", "pom.xml/runs"}),
                Arguments.of("--schedule \"stplr(step_size=2)\": unknown schedule 'stplr'; did you mean 'steplr'?",
                        new String[] {"schedule", "--schedule", "stplr(step_size=2)", "--steps", "3"}),
                Arguments.of("--schedule: spec \"steplr(step_size=\"",
                        new String[] {"schedule", "--schedule", "steplr(step_size=", "--steps", "3"}),
                Arguments.of("'--schedule=SPEC'",
                        new String[] {"schedule", "--steps", "3"}),
                Arguments.of("unknown optimizer 'adm'; did you mean 'adam'?",
                        new String[] {"schedule", "--schedule", "steplr(step_size=2)", "--optimizer", "adm", "--steps", "3"}),
                Arguments.of("--steps -1: the number of steps must be 0 or more",
                        new String[] {"schedule", "--schedule", "steplr(step_size=2)", "--steps", "-1"}),
                Arguments.of("'--steps=N'",
                        new String[] {"schedule", "--schedule", "steplr(step_size=2)"}),
                Arguments.of("--metrics: steplr(step_size=2, gamma=0.1) takes no metric",
                        new String[] {"schedule", "--schedule", "steplr(step_size=2)", "--steps", "2", "--metrics", "1,2"}),
                Arguments.of("--metrics is missing: reducelronplateau(",
                        new String[] {"schedule", "--schedule", "reducelronplateau", "--steps", "2"}),
                Arguments.of("--metrics: got 3 values but reducelronplateau(",
                        new String[] {"schedule", "--schedule", "reducelronplateau", "--steps", "2", "--metrics", "1,2,3"}),
                Arguments.of("--metrics: got 1 value but reducelronplateau(",
                        new String[] {"schedule", "--schedule", "reducelronplateau", "--steps", "2", "--metrics", "1"}),
                Arguments.of("--metrics: value 2 'abc' is not a number",
                        new String[] {"schedule", "--schedule", "reducelronplateau", "--steps", "2", "--metrics", "1,abc"}),
                Arguments.of("--metrics: value 1 'NaN' is not a number",
                        new String[] {"schedule", "--schedule", "reducelronplateau", "--steps", "2", "--metrics", "NaN,1"}),
                Arguments.of("--steps 11: onecyclelr: Tried to step 12 times",
                        new String[] {"schedule", "--schedule", "onecyclelr(max_lr=1.0, total_steps=10)", "--steps", "11"}),
                Arguments.of("with --optimizer \"adagrad\": onecyclelr: cycle_momentum=true needs an optimizer with momentum",
                        new String[] {"schedule", "--schedule", "onecyclelr(max_lr=1.0, total_steps=10)", "--optimizer", "adagrad",
                                "--steps", "3"}),
                Arguments.of("--plot lr: no file extension; name the file .png or .svg",
                        new String[] {"schedule", "--schedule", "steplr(step_size=2)", "--steps", "3", "--plot", "lr"}),
                Arguments.of("missing command: use bench step",
                        new String[] {"bench"}),
                Arguments.of("--optimizer \"adam(lr=-1)\"",
                        new String[] {"bench", "step", "--optimizer", "adam(lr=-1)", "--params", "100"}),
                Arguments.of("--params 0: must be 1 or more",
                        new String[] {"bench", "step", "--optimizer", "adam", "--params", "0"}),
                Arguments.of("--tensors 20: must be between 1 and --params (10)",
                        new String[] {"bench", "step", "--optimizer", "adam", "--params", "10", "--tensors", "20"}),
                Arguments.of("--seconds 0.0: must be a finite number above 0",
                        new String[] {"bench", "step", "--optimizer", "adam", "--params", "10", "--seconds", "0"}),
                Arguments.of("--group: group rule \"t0 lr=1\": expected pattern: key=value",
                        new String[] {"bench", "step", "--optimizer", "adam", "--params", "10", "--group", "t0 lr=1"}),
                Arguments.of("--group: group rule \"t0: lr=\": expected a value for lr at offset 7",
                        new String[] {"bench", "step", "--optimizer", "adam", "--params", "10", "--group", "t0: lr="}),
                Arguments.of("--group: group rule \"t0: lrr=1\": unknown key for adam 'lrr'; did you mean 'lr'?",
                        new String[] {"bench", "step", "--optimizer", "adam", "--params", "10", "--tensors", "2",
                                "--group", "t1: lr=0.1", "--group", "t0: lrr=1"}),
                Arguments.of("--group: group rule \"bias: weight_decay=0\": the pattern 'bias' matches no parameter name; "
                                + "the names are t0, t1",
                        new String[] {"bench", "step", "--optimizer", "adam", "--params", "10", "--tensors", "2",
                                "--group", "bias: weight_decay=0"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exitsWithTwoAndOneLine(String expected, String[] args) {
        Invocation run = Invocation.of(args);
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("descent: "), run::toString);
        assertTrue(run.err().contains(expected), () -> "expected '" + expected + "' in " + run);
    }
}
