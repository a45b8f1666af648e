package dev.kiln.runtime.data;

/** A data set cut into samples to train on and samples to validate on after each epoch ({@link Dataset#split}). */
public record TrainValidation(Dataset train, Dataset validation) {
}
