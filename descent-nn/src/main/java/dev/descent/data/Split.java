package dev.descent.data;

import java.util.Objects;

/**
 * A training set and the test set that goes with it (same feature shape, same classes).
 *
 * @param train the examples to learn from
 * @param test  the examples to evaluate on
 */
public record Split(Dataset train, Dataset test) {
    /** Checks that the two parts agree on the shape of an example, the task and the classes. */
    public Split {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.featureCount() != test.featureCount()) {
            throw new IllegalArgumentException(train.name() + " has " + train.featureCount() + " features per example but "
                    + test.name() + " has " + test.featureCount());
        }
        if (train.isClassification() != test.isClassification()
                || (train.isClassification() && !train.classNames().equals(test.classNames()))) {
            throw new IllegalArgumentException(train.name() + " and " + test.name() + " do not have the same classes: "
                    + train.classNames() + " and " + test.classNames());
        }
    }

    /**
     * Both parts standardised with the training part's per-feature mean and standard deviation, so that no
     * statistic of the test part leaks into training.
     */
    public Split standardized() {
        Standardizer standardizer = Standardizer.fit(train);
        return new Split(standardizer.apply(train), standardizer.apply(test));
    }
}
