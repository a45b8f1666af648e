package dev.kiln.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium run once per call, as a test's browser: a fresh profile, no sandbox (CI runs as root), and none of
 * the background connections that a machine without a network refuses. Returns what it wrote to standard output.
 */
final class Chromium {
    private Chromium() {
    }

    static String run(Path chromium, Path scratch, String... arguments) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(scratch, "profile");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + profile));
        command.addAll(List.of(arguments));
        Path stdout = scratch.resolve("chromium.out");
        Path stderr = scratch.resolve("chromium.err");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + command);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("chromium exited with " + p.exitValue() + ": " + command + "\n"
                    + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }
}
