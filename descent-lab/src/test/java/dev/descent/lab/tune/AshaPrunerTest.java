package dev.descent.lab.tune;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AshaPrunerTest {
    @Test
    void rungsSitAtMinResourceTimesPowersOfEta() {
        AshaPruner asha = new AshaPruner(2, 3);
        List<Integer> rungs = new ArrayList<>();
        for (int epoch = 1; epoch <= 60; epoch++) {
            if (asha.decidesAt(epoch)) {
                rungs.add(epoch);
            }
        }
        assertEquals(List.of(2, 6, 18, 54), rungs);
    }

    @Test
    void keepsTheTopOneInEtaOfTheTrialsThatReachedTheRung() {
        AshaPruner asha = new AshaPruner(1, 2);
        assertFalse(asha.shouldPrune(1, 5.0, List.of()), "the first trial at a rung goes on");
        assertTrue(asha.shouldPrune(1, 6.0, List.of(5.0)), "second of two, keep 1");
        assertFalse(asha.shouldPrune(1, 4.0, List.of(5.0)), "best of two");
        assertTrue(asha.shouldPrune(1, 5.0, List.of(5.0)), "a tie goes to the earlier trial");
        assertFalse(asha.shouldPrune(1, 2.0, List.of(1.0, 3.0, 4.0)), "second of four, keep 2");
        assertTrue(asha.shouldPrune(1, 3.5, List.of(1.0, 3.0, 4.0)), "third of four, keep 2");
    }

    @Test
    void aStudyPrunesTheBadHalf() throws Exception {
        // Trial k's score at every epoch is its value; the grid walks 3, 7, 1, 8, 2, 6, 4, 5 so that good and
        // bad trials alternate. eta = 2, rungs at epochs 1, 2, 4, one job: each trial meets the trials before it.
        SearchSpace space = SearchSpace.parse("f(x=choice(3, 7, 1, 8, 2, 6, 4, 5))");
        Objective objective = trial -> {
            double x = ((Long) trial.params().get("x")).doubleValue();
            for (int epoch = 1; epoch <= 4; epoch++) {
                trial.report(epoch, x);
            }
            return x;
        };
        List<TrialRecord> records = new Study(space, new GridSampler(1), new AshaPruner(1, 2), 0, 1, null).optimize(8, objective);
        // 3 goes on alone at every rung; 7 is second of 2 at epoch 1; 1 is best everywhere; 8 is last; 2 is second
        // of 5 at epoch 1 (2 go on) but second of 3 at epoch 2 (1 goes on); 6, 4 and 5 are behind 3 others at epoch 1.
        assertEquals(List.of("complete", "pruned", "complete", "pruned", "pruned", "pruned", "pruned", "pruned"),
                records.stream().map(r -> r.state().id()).toList());
        assertEquals(List.of(4, 1, 4, 1, 2, 1, 1, 1), records.stream().map(TrialRecord::lastEpoch).toList());
        for (TrialRecord r : records) {
            if (r.score() >= 5) {
                assertEquals(TrialState.PRUNED, r.state(), "the bad half stops at the first rung: " + r.spec());
            }
        }
        assertEquals(1.0, Study.best(records).orElseThrow().score());
    }
}
