package dev.kiln.runtime.data;

/** A data set cut into samples to train on and held-out samples to test on. */
public record TrainTest(Dataset train, Dataset test) {
}
