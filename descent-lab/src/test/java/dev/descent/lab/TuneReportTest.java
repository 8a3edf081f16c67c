package dev.descent.lab;

import dev.descent.lab.tune.TrialRecord;
import dev.descent.lab.tune.TrialState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class TuneReportTest {
    private static TrialRecord trial(int number, TrialState state, double score) {
        return new TrialRecord(number, state, new double[] {0.1}, "sgd(lr=0.1)", score, new TreeMap<>(), null, 0);
    }

    @Test
    void bestSoFarIsAStaircaseOverCompletedTrialsToTheLastTrial() {
        List<TrialRecord> records = List.of(trial(0, TrialState.PRUNED, 0.1), trial(1, TrialState.COMPLETE, 0.8),
                trial(2, TrialState.COMPLETE, 0.9), trial(3, TrialState.COMPLETE, 0.5), trial(4, TrialState.FAILED, Double.NaN),
                trial(5, TrialState.PRUNED, 0.2));
        double[][] xy = TuneReport.bestSoFar(records);
        assertArrayEquals(new double[] {1, 3, 3, 5}, xy[0]);
        assertArrayEquals(new double[] {0.8, 0.8, 0.5, 0.5}, xy[1]);
    }

    @Test
    void noCompletedTrialGivesNoLine() {
        double[][] xy = TuneReport.bestSoFar(List.of(trial(0, TrialState.PRUNED, 0.3)));
        assertArrayEquals(new double[0], xy[0]);
    }
}
