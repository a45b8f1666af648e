package dev.kiln.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The real Keras files of /work/shared/keras-files, copied into the test resources, and their expected outputs. */
final class Fixtures {
    private Fixtures() {
    }

    /** A resource as a file in {@code dir} (the readers take paths). */
    static Path file(Path dir, String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/keras/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource keras/" + resource);
            }
            Path out = dir.resolve(resource.replace('/', '_'));
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code expected/<name>.json}: the seeded inputs and the outputs of the independent numpy forward pass. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> expected(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/keras/expected/" + name + ".json")) {
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code i}th array of {@code inputs} or {@code outputs} of an expected file. */
    @SuppressWarnings("unchecked")
    static INDArray array(Map<String, Object> expected, String key, int i) {
        return array((Map<String, Object>) ((List<Object>) expected.get(key)).get(i));
    }

    @SuppressWarnings("unchecked")
    static INDArray array(Map<String, Object> a) {
        List<Object> shape = (List<Object>) a.get("shape");
        List<Object> data = (List<Object>) a.get("data");
        long[] s = shape.stream().mapToLong(x -> ((Number) x).longValue()).toArray();
        double[] d = data.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
        return Nd4j.create(d, s, 'c').castTo(DataType.FLOAT);
    }

    static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        assertArrayEquals(expected.shape(), actual.shape());
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance, () -> "max |difference| " + diff + " > " + tolerance + "\nexpected " + expected
                + "\nactual   " + actual);
    }
}
