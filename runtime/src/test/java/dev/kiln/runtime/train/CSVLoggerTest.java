package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CSVLoggerTest {

    @TempDir
    Path dir;

    private void fit(Path file, boolean append, int epochs) {
        ScriptedModel model = new ScriptedModel(new ArrayList<>(),
                ScriptedModel.output("out", Loss.MEAN_SQUARED_ERROR, Metric.MEAN_ABSOLUTE_ERROR));
        model.trainLoss = step -> 0.5 / (step + 1);
        model.valLoss = steps -> 0.25;
        new Trainer(new ManualClock(1_000)).fit(model, ArraySource.ids(2), Fit.epochs(epochs).batchSize(2).verbose(0)
                .validationData(ArraySource.ids(2)).callbacks(new CSVLogger(file, append)));
    }

    @Test
    void writesAHeaderInAlphabeticalOrderAndARowPerEpoch() throws Exception {
        Path file = dir.resolve("logs/training.csv");
        fit(file, false, 2);
        assertEquals("epoch,loss,mean_absolute_error,val_loss,val_mean_absolute_error\n"
                + "0,0.5,0.0,0.25,0.0\n"
                + "1,0.25,0.0,0.25,0.0\n", Files.readString(file));
    }

    @Test
    void appendKeepsTheOldRowsAndWritesNoSecondHeader() throws Exception {
        Path file = dir.resolve("training.csv");
        fit(file, false, 1);
        fit(file, true, 1);
        assertEquals("epoch,loss,mean_absolute_error,val_loss,val_mean_absolute_error\n"
                + "0,0.5,0.0,0.25,0.0\n"
                + "0,0.5,0.0,0.25,0.0\n", Files.readString(file));
        fit(file, false, 1);
        assertEquals(2, Files.readAllLines(file).size());   // overwritten
    }
}
