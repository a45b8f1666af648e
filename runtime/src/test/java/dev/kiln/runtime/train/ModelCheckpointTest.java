package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void savesEveryEpochThroughThePattern() {
        ScriptedModel model = ScriptedModel.single();
        String pattern = dir.resolve("ckpt/model-{epoch:02d}-{val_loss:.2f}.kiln").toString();
        new Trainer(new ManualClock(1_000)).fit(model, ArraySource.ids(4), Fit.epochs(3).verbose(0)
                .validationData(ArraySource.ids(2)).callbacks(new ModelCheckpoint(pattern)));
        assertEquals(List.of(dir.resolve("ckpt/model-01-1.00.kiln"), dir.resolve("ckpt/model-02-1.00.kiln"),
                dir.resolve("ckpt/model-03-1.00.kiln")), model.saved);
        assertTrue(Files.isDirectory(dir.resolve("ckpt")));
    }

    @Test
    void saveBestOnlySavesOnImprovement() {
        ScriptedModel model = ScriptedModel.single();
        ModelCheckpoint checkpoint = new ModelCheckpoint(dir.resolve("best.kiln")).saveBestOnly(true);
        checkpoint.setContext(Contexts.of(model, "loss", "val_loss"));
        checkpoint.onTrainBegin();
        double[] values = {1.0, 0.8, 0.9, 0.7};
        for (int epoch = 0; epoch < values.length; epoch++) {
            model.w = epoch;
            checkpoint.onEpochEnd(epoch, Map.of("loss", 0.0, "val_loss", values[epoch]));
        }
        assertEquals(3, model.saved.size());   // epochs 0, 1, 3
        assertEquals(dir.resolve("best.kiln"), checkpoint.lastSaved());
    }

    @Test
    void formatsLikePython() {
        Map<String, Double> logs = Map.of("val_loss", 0.123456, "accuracy", 0.5);
        assertEquals("m-7-0.1235-5.000e-01-0.123456.kiln",
                ModelCheckpoint.format("m-{epoch}-{val_loss:.4f}-{accuracy:.3e}-{val_loss}.kiln", 7, logs));
        assertEquals("e003", ModelCheckpoint.format("e{epoch:03d}", 3, logs));
    }

    @Test
    void anUnknownPlaceholderFailsAtTrainBegin() {
        ModelCheckpoint checkpoint = new ModelCheckpoint("m-{val_acc}.kiln");
        checkpoint.setContext(Contexts.of(ScriptedModel.single(), "loss", "val_loss"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, checkpoint::onTrainBegin);
        assertEquals("ModelCheckpoint's path 'm-{val_acc}.kiln' uses {val_acc}, but fit logs only epoch and"
                + " [loss, val_loss]", e.getMessage());
    }
}
