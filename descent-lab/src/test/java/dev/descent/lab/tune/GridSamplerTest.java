package dev.descent.lab.tune;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GridSamplerTest {
    @Test
    void enumeratesEveryCombinationOnceLastDimensionFastest() {
        SearchSpace space = SearchSpace.parse("sgd(lr=loguniform(1e-3, 1e-1), momentum=choice(0.0, 0.9), dampening=intuniform(0, 1))");
        GridSampler grid = new GridSampler(3);
        assertEquals(3 * 2 * 2, grid.capacity(space));
        List<String> specs = new ArrayList<>();
        for (int k = 0; k < grid.capacity(space); k++) {
            specs.add(space.render(grid.sample(space, k, List.of())));
        }
        assertEquals("sgd(lr=0.001, momentum=0.0, dampening=0)", specs.get(0));
        assertEquals("sgd(lr=0.001, momentum=0.0, dampening=1)", specs.get(1));
        assertEquals("sgd(lr=0.001, momentum=0.9, dampening=0)", specs.get(2));
        assertEquals(12, new HashSet<>(specs).size());
        Set<Double> rates = new HashSet<>();
        for (int k = 0; k < 12; k++) {
            rates.add(grid.sample(space, k, List.of())[0]);
        }
        assertEquals(3, rates.size());
        assertEquals(0.01, grid.sample(space, 4, List.of())[0], 1e-15, "log-spaced middle of 1e-3 and 1e-1");
        assertEquals(0.1, grid.sample(space, 11, List.of())[0], 0.0, "the upper end is a grid point");
    }

    @Test
    void onePointIsTheMiddleAndUniformIsEvenlySpaced() {
        assertArrayEquals(new double[]{0.5}, new GridSampler(1).axis(new Distribution.Uniform(0, 1, false)));
        assertArrayEquals(new double[]{0, 0.25, 0.5, 0.75, 1}, new GridSampler(5).axis(new Distribution.Uniform(0, 1, false)));
        assertThrows(IllegalArgumentException.class, () -> new GridSampler(0));
    }
}
