package dev.kiln.runtime.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that saves over and over, killed with SIGKILL at random moments: every kill leaves a file that loads whole
 * (the version before or the one being written), and the next save removes what the killed one left behind.
 */
class KilledSaveTest {
    private static final int KILLS = 30;
    /** Large enough that a kill often lands inside a write (each forces 4 MB to disk), small enough to be quick. */
    private static final int PAYLOAD_CHARS = 4 << 20;

    @TempDir
    Path dir;

    @Test
    void everyKillLeavesAWholeVersionAndTheNextSaveRemovesTheLeftovers() throws Exception {
        Path file = dir.resolve("model.kiln");
        Random random = new Random(20261202);
        int killsThatLeftATemporaryFile = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            List<Path> leftBefore = temporaries();
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), SaveLoop.class.getName(),
                    file.toString(), Integer.toString(kill)).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
                String first = out.readLine(); // the child's first save is done: it removed the leftovers before it
                assertEquals("saved", first, "the saving child failed");
                for (Path left : leftBefore) {
                    assertFalse(Files.exists(left), "kill " + kill + ": the next save did not remove " + left);
                }
                Thread.sleep(random.nextInt(120)); // somewhere in a later save, or between two
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
            }
            Checkpoint read = CheckpointFile.read(file); // throws if the kill left a partial or mixed file
            String version = read.metadata().get("version");
            assertTrue(version.startsWith(kill + "/"), () -> "kill " + version);
            assertEquals(PAYLOAD_CHARS, read.metadata().get("payload").length());
            assertTrue(read.metadata().get("payload").chars().allMatch(c -> c == version.charAt(version.length() - 1)),
                    "the payload is of another version than the header");
            killsThatLeftATemporaryFile += temporaries().isEmpty() ? 0 : 1;
        }
        CheckpointFile.write(file, checkpoint("last", 'x'));
        assertEquals(List.of(), temporaries(), "a save leaves no temporary file behind");
        System.out.println("KilledSaveTest: " + killsThatLeftATemporaryFile + " of " + KILLS
                + " kills left a temporary file; each was removed by the next save");
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    /** No weights, so that the child starts without loading ND4J's natives: the file's bytes are what count here. */
    static Checkpoint checkpoint(String version, char fill) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("version", version);
        metadata.put("payload", String.valueOf(fill).repeat(PAYLOAD_CHARS));
        return new Checkpoint("test.Killed", "hash", Map.of(), null, Map.of(), metadata);
    }

    /** The child: saves {@code args[0]} again and again, printing "saved" after the first save. */
    static final class SaveLoop {
        public static void main(String[] args) throws IOException {
            Path file = Path.of(args[0]);
            for (int save = 0; ; save++) {
                char fill = (char) ('a' + save % 26);
                CheckpointFile.write(file, checkpoint(args[1] + "/" + save + fill, fill));
                if (save == 0) {
                    System.out.println("saved");
                    System.out.flush();
                }
            }
        }
    }
}
