package com.example;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.Fit;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Trains XOR, saves it, loads it back and checks that the loaded model predicts as the trained one. */
public final class App {
    private App() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        INDArray bits = Nd4j.createFromArray(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        INDArray xor = Nd4j.createFromArray(new float[][] {{0}, {1}, {1}, {0}});
        XorModel model = XorModel.create(42);
        model.compile(new Adam(0.05));
        model.fit(Dataset.of(bits, xor), Fit.epochs(300).batchSize(4).seed(42).verbose(0));
        INDArray predicted = model.predict(bits);
        model.save(file);
        XorModel loaded = XorModel.load(file);
        if (!loaded.predict(bits).equals(predicted)) {
            throw new AssertionError("the loaded model predicts otherwise than the saved one");
        }
        long right = 0;
        for (int i = 0; i < 4; i++) {
            right += Math.round(predicted.getDouble(i, 0)) == xor.getDouble(i, 0) ? 1 : 0;
        }
        System.out.println("first-project: trained, saved " + file.getFileName() + ", loaded; " + right
                + " of 4 XOR cases right");
    }
}
