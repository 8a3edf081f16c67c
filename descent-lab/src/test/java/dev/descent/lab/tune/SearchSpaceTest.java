package dev.descent.lab.tune;

import dev.descent.optim.Optimizers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchSpaceTest {
    @Test
    void findsEveryDistributionAndNamesItByWhereItSits() {
        SearchSpace space = SearchSpace.parse("adam(lr=loguniform(1e-5, 1e-1), betas=(uniform(0.8, 0.99), 0.999), amsgrad=choice(true, false))");
        List<SearchSpace.Dimension> dims = space.dimensions();
        assertEquals(List.of("lr", "betas[0]", "amsgrad"), dims.stream().map(SearchSpace.Dimension::name).toList());
        assertEquals(new Distribution.Uniform(1e-5, 1e-1, true), dims.get(0).distribution());
        assertEquals(new Distribution.Uniform(0.8, 0.99, false), dims.get(1).distribution());
        assertEquals(List.of(true, false), ((Distribution.Choice) dims.get(2).distribution()).options());
    }

    @Test
    void rendersAConcreteSpecThatOptimizersAccept() {
        SearchSpace space = SearchSpace.parse("adam(lr=loguniform(1e-5, 1e-1), betas=(uniform(0.8, 0.99), 0.999), amsgrad=choice(true, false))");
        String spec = space.render(new double[]{0.00123, 0.85, 1});
        assertEquals("adam(lr=0.00123, betas=(0.85, 0.999), amsgrad=false)", spec);
        Optimizers.parse(spec);
    }

    @Test
    void choiceOverWholeSpecsStringsAndNestedSpecs() {
        SearchSpace top = SearchSpace.parse("choice(sgd(lr=0.1), adam(), nag(lr=0.01, momentum=0.8))");
        assertEquals("spec", top.dimensions().get(0).name());
        assertEquals("sgd(lr=0.1)", top.render(new double[]{0}));
        assertEquals("adam", top.render(new double[]{1}));
        assertEquals("nag(lr=0.01, momentum=0.8)", top.render(new double[]{2}));
        for (int i = 0; i < 3; i++) {
            Optimizers.parse(top.render(new double[]{i}));
        }

        SearchSpace nested = SearchSpace.parse("lookahead(adam(lr=loguniform(1e-4, 1e-2)), k=intuniform(2, 10))");
        assertEquals(List.of("adam.lr", "k"), nested.dimensions().stream().map(SearchSpace.Dimension::name).toList());
        String spec = nested.render(new double[]{0.001, 7});
        assertEquals("lookahead(adam(lr=0.001), k=7)", spec);
        Optimizers.parse(spec);

        SearchSpace strings = SearchSpace.parse("lbfgs(line_search_fn=choice(\"strong_wolfe\", none), history_size=intuniform(low=5, high=20))");
        assertEquals("lbfgs(line_search_fn=\"strong_wolfe\", history_size=5)", strings.render(new double[]{0, 5}));
        assertEquals("lbfgs(line_search_fn=none, history_size=20)", strings.render(new double[]{1, 20}));
        Optimizers.parse(strings.render(new double[]{1, 20}));
    }

    @Test
    void samplesStayInsideTheirBoundsAndIntegersCoverBothEnds() {
        SplittableRandom random = new SplittableRandom(1);
        Distribution.Uniform log = new Distribution.Uniform(1e-5, 1e-1, true);
        Distribution.IntUniform ints = new Distribution.IntUniform(2, 4);
        int below1e3 = 0;
        boolean[] seen = new boolean[5];
        for (int i = 0; i < 2000; i++) {
            double x = log.sampleUniform(random);
            assertTrue(x >= 1e-5 && x <= 1e-1, "loguniform sample " + x);
            below1e3 += x < 1e-3 ? 1 : 0;
            double k = ints.sampleUniform(random);
            assertTrue(k >= 2 && k <= 4 && k == Math.rint(k), "intuniform sample " + k);
            seen[(int) k] = true;
        }
        // Log-uniform: half the mass lies below the geometric middle 1e-3.
        assertEquals(1000, below1e3, 100);
        assertTrue(seen[2] && seen[3] && seen[4]);
        assertEquals("3", ints.render(3));
        assertEquals("1.0E-4", log.render(1e-4));
    }

    @Test
    void refusesAnEmptySpaceBadBoundsAndUnknownDistributions() {
        assertMessage("adam(lr=0.001)", "no distribution in it");
        assertMessage("adam(lr=uniform(0.1, 0.1))", "uniform(0.1, 0.1): low must be below high");
        assertMessage("adam(lr=uniform(0.5, 0.1))", "low must be below high");
        assertMessage("adam(lr=loguniform(0, 0.1))", "loguniform(0.0, 0.1): low must be above 0");
        assertMessage("adam(lr=loguniform(-1, 0.1))", "low must be above 0");
        assertMessage("sgd(lr=0.1, momentum=intuniform(3, 1))", "intuniform(3, 1): low must be below high");
        assertMessage("lookahead(adam(), k=intuniform(1.5, 4))", "intuniform(1.5, 4): the bounds must be integers");
        assertMessage("adam(lr=uniform(0.1))", "takes two bounds");
        assertMessage("adam(lr=uniform(a, 1))", "the bounds must be numbers");
        assertMessage("adam(lr=loguniformm(1e-5, 0.1))", "unknown distribution 'loguniformm'; did you mean 'loguniform'?");
        assertMessage("adam(lr=normal(0.01, 0.1))", "unknown distribution 'normal'");
        assertMessage("adam(lr=randint(1, 5))", "valid names: choice, intuniform, loguniform, uniform");
        assertMessage("adam(amsgrad=choice())", "choice(): give at least one option");
        assertMessage("adam(lr=choice(0.1, 0.1))", "option 0.1 is given twice");
        assertMessage("choice(sgd(lr=uniform(0.1, 1)), adam())", "the options of a choice must be concrete values");
        assertMessage("adam(lr=uniform(0.1, 1, step=2))", "unknown key for uniform 'step'");
    }

    private static void assertMessage(String space, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse(space));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().contains(space) || e.getMessage().contains("space"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
