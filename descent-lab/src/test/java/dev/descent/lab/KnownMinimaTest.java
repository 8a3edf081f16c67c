package dev.descent.lab;

import dev.descent.optim.problem.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnownMinimaTest {
    /** Every listed minimum has the listed value and a zero gradient (to float precision). */
    @ParameterizedTest
    @EnumSource(Problem.class)
    void theMinimaHaveTheirValueAndNoSlope(Problem problem) {
        for (double[] minimum : KnownMinima.of(problem)) {
            float[] w = new float[minimum.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) minimum[i];
            }
            assertEquals(KnownMinima.value(problem), problem.loss(w), 1e-5, problem.id());
            float[] g = new float[w.length];
            problem.gradient(w, g);
            for (float gi : g) {
                assertEquals(0, gi, 2e-4, problem.id());
            }
        }
    }

    @Test
    void theSaddleHasNoMinimumOnlyASaddlePoint() {
        assertTrue(KnownMinima.of(Problem.SADDLE).isEmpty());
        assertTrue(Double.isNaN(KnownMinima.value(Problem.SADDLE)));
        assertTrue(Double.isNaN(KnownMinima.distance(Problem.SADDLE, new float[] {1, 1})));
        assertEquals(1, KnownMinima.saddlePoints(Problem.SADDLE).size());
        assertTrue(KnownMinima.saddlePoints(Problem.BOOTH).isEmpty());
    }

    @Test
    void distanceIsToTheNearestMinimum() {
        assertEquals(1.0, KnownMinima.distance(Problem.BOOTH, new float[] {1, 4}), 1e-12);
        assertEquals(0.0, KnownMinima.distance(Problem.SIXHUMPCAMEL, new float[] {-0.0898420131f, 0.7126564030f}), 1e-7);
        assertTrue(Double.isNaN(KnownMinima.distance(Problem.RASTRIGIN, new float[] {Float.NaN, 0})));
    }
}
