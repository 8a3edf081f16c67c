package dev.descent.lab;

import dev.descent.optim.Optimizers;
import dev.descent.optim.problem.Problem;
import dev.descent.optim.schedule.Schedules;
import dev.descent.optim.transform.Transforms;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListCommandTest {
    /** The transforms that land the step themselves, which only scalings may follow in a chain. */
    private static final List<String> LANDING = List.of("scale_by_asgd", "scale_by_ftrl", "schedule_free", "scale_by_muon");

    @Test
    void printsEveryNameOncePerLineWithItsDefaults() {
        Invocation run = Invocation.of("list");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.err());
        List<String> lines = run.outLines();
        assertEquals(Optimizers.names().size() + Transforms.names().size() + Schedules.names().size() + Problem.values().length,
                lines.size(), run::toString);
        for (String name : Transforms.names()) {
            assertEquals(1, lines.stream().filter(l -> l.matches("transform +" + name + "(\\(.*)?")).count(),
                    "one line for transform " + name + " in\n" + run.out());
        }
        assertTrue(lines.contains("transform scale_by_factored_rms(eps=1.0E-30, decay_rate=-0.8, clip_threshold=1.0)"), run::toString);
        assertTrue(lines.contains("transform scale_by_learning_rate(lr=<required>, flip_sign=true)"), run::toString);
        assertTrue(lines.contains("transform centralize"), run::toString);
        for (String name : Optimizers.names()) {
            assertEquals(1, lines.stream().filter(l -> l.matches("(optimizer|alias|composite) +" + name + "[( ].*")).count(),
                    "one line for optimizer " + name + " in\n" + run.out());
        }
        for (String name : Transforms.names()) {
            assertEquals(1, lines.stream().filter(l -> l.matches("transform +" + name + "(\\(.*)?")).count(),
                    "one line for transform " + name + " in\n" + run.out());
        }
        for (String name : Schedules.names()) {
            assertEquals(1, lines.stream().filter(l -> l.matches("schedule +" + name + "\\(.*")).count(),
                    "one line for schedule " + name + " in\n" + run.out());
        }
        assertTrue(lines.stream().noneMatch(l -> l.contains("not described")), run::toString);
        assertTrue(lines.contains("optimizer adam(lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weight_decay=0.0, amsgrad=false, "
                + "maximize=false, eps_placement=\"torch\")"), run::toString);
        assertTrue(lines.contains("optimizer sgd(lr=<required>, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=false, "
                + "maximize=false)"), run::toString);
        assertTrue(lines.contains("alias     nag = sgd(momentum=0.9, nesterov=true)"), run::toString);
        assertTrue(lines.contains("alias     momentum = sgd(momentum=0.9)"), run::toString);
        assertTrue(lines.contains("composite lookahead(<optimizer>, k=5, alpha=0.5)"), run::toString);
        assertTrue(lines.contains("composite ema(<optimizer>, decay=0.999)"), run::toString);
        assertTrue(lines.contains("composite swa(<optimizer>, swa_start=<required>, swa_lr=<required>, anneal_steps=10, "
                + "swa_freq=1, anneal_strategy=cos)"), run::toString);
        assertTrue(lines.contains("transform clip_by_global_norm(max_norm=<required>)"), run::toString);
        assertTrue(lines.contains("transform trace(momentum=0.9, dampening=0.0, nesterov=false)"), run::toString);
        assertTrue(lines.contains("transform scale_by_schedule(schedule=<schedule>)"), run::toString);
        assertTrue(lines.contains("transform centralize"), run::toString);
        assertTrue(lines.contains("schedule  steplr(step_size=<required>, gamma=0.1)"), run::toString);
        assertTrue(lines.contains("problem   rosenbrock(init=(-1.5, 2.0))"), run::toString);
        assertTrue(lines.contains("problem   quadratic(init=(1.0, 1.0, 1.0, 1.0))"), run::toString);
    }

    @Test
    void everyListedSpecWithItsRequiredValuesFilledParses() {
        // the lines are specs: with each <required> given a value (and nested specs given) they parse back
        for (String line : Invocation.of("list", "optimizers").outLines()) {
            if (line.startsWith("optimizer")) {
                Optimizers.parse(line.substring(10).replace("<required>", "0.1"));
            }
        }
        for (String line : Invocation.of("list", "transforms").outLines()) {
            // a transform parses inside a chain: apply_if_finite and the ones that land the step go first (these
            // followed by scalings only), soft_threshold after a learning rate
            String text = line.substring(10).replace("<required>", "2").replace("<schedule>", "steplr(step_size=2)");
            boolean first = text.startsWith("apply_if_finite") || LANDING.stream().anyMatch(text::startsWith);
            Optimizers.parse(first ? "chain(" + text + ", scale_by_learning_rate(0.1))"
                    : "chain(scale_by_learning_rate(0.1), " + text + ")");
        }
        for (String line : Invocation.of("list", "schedules").outLines()) {
            String text = line.substring(10);
            if (!text.contains("<schedule>") && !text.contains("<required>")) {
                Schedules.parse(text);
            }
        }
    }

    @Test
    void oneKind() {
        Invocation run = Invocation.of("list", "Problems");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(Problem.values().length, run.outLines().size());
        assertTrue(run.outLines().stream().allMatch(l -> l.startsWith("problem ")));
        List<String> schedules = Invocation.of("list", "schedules").outLines();
        assertEquals(Schedules.names().size(), schedules.size());
        List<String> transforms = Invocation.of("list", "transforms").outLines();
        assertEquals(Transforms.names().size(), transforms.size());
        assertTrue(transforms.stream().allMatch(l -> l.startsWith("transform ")), transforms::toString);
        // a line without required values is a transform spec with its defaults, which a chain takes
        Optimizers.parse("chain(" + transforms.stream().filter(l -> l.contains("scale_by_muon")).findFirst().orElseThrow().substring(10)
                + ", scale_by_learning_rate(0.01))");
    }

    @Test
    void anUnknownKindIsBadInput() {
        Invocation run = Invocation.of("list", "optimisers");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("", run.out());
        assertEquals(List.of("descent: list: unknown kind 'optimisers'; did you mean 'optimizers'? valid names: optimizers, "
                + "problems, schedules, transforms"), run.errLines());
        assertTrue(run.err().toLowerCase(Locale.ROOT).contains("optimizers"));
    }

    @Test
    void describesByExample() {
        assertEquals("lookahead(adam(lr=0.001), k=5)", Catalog.example("lookahead: x, e.g. lookahead(adam(lr=0.001), k=5), but got y"));
        assertEquals(List.of("adam(lr=0.1, betas=(0.9, 0.99))", "k=5", "s=\"a,(b\""),
                Catalog.arguments("lookahead(adam(lr=0.1, betas=(0.9, 0.99)), k=5, s=\"a,(b\")"));
    }
}
