package dev.kiln.keras;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A Keras 3 {@code .keras} archive, read as untrusted input: entries by known name only ({@code config.json},
 * {@code metadata.json}, {@code model.weights.h5}), never by a name the archive supplies, so no path in it reaches the
 * file system; a name listed twice refuses the archive (zip readers disagree about which copy a duplicated name means,
 * which is how a known malicious archive smuggles a pickle past scanners); weights only from {@code model.weights.h5},
 * never {@code model.weights.npz} (which Keras reads with pickle); each entry's size is bounded by the central
 * directory before reading and again by counting the bytes read, so a zip bomb stops at the bound.
 */
final class KerasArchive implements AutoCloseable {
    static final String CONFIG = "config.json";
    static final String METADATA = "metadata.json";
    static final String WEIGHTS = "model.weights.h5";
    /** A Keras config of thousands of layers is a few MB. */
    static final long MAX_JSON_BYTES = 32L << 20;

    private final Path path;
    private final ZipFile zip;

    private KerasArchive(Path path, ZipFile zip) {
        this.path = path;
        this.zip = zip;
    }

    static KerasArchive open(Path path) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (ZipException e) {
            throw new KerasFileException(path, "is not a readable .keras archive (" + e.getMessage() + ")");
        }
        KerasArchive archive = new KerasArchive(path, zip);
        try {
            archive.checkEntries();
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
        return archive;
    }

    private void checkEntries() throws KerasFileException {
        Set<String> seen = new HashSet<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            if (!seen.add(name)) {
                throw new KerasFileException(path, "lists the entry '" + printable(name) + "' twice; zip readers"
                        + " disagree about which copy such a name means (a known way to smuggle a payload past a"
                        + " scanner), so Kiln refuses the archive");
            }
        }
        if (!seen.contains(WEIGHTS)) {
            String why = seen.contains("model.weights.npz")
                    ? "its weights are in model.weights.npz, which Keras reads with pickle; Kiln reads weights only"
                            + " from model.weights.h5 and never unpickles anything"
                    : "it has no model.weights.h5 (its entries: " + seen + ")";
            throw new KerasFileException(path, "is refused: " + why);
        }
        if (!seen.contains(CONFIG)) {
            throw new KerasFileException(path, "is not a Keras archive: it has no config.json");
        }
    }

    /** The text of a JSON entry, or null if the archive has no such entry. */
    String json(String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            return null;
        }
        byte[] bytes = read(e, MAX_JSON_BYTES);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Copies {@code model.weights.h5} to {@code target}, refusing one larger than {@code maxBytes}. */
    void copyWeights(Path target, long maxBytes) throws IOException {
        ZipEntry e = zip.getEntry(WEIGHTS);
        checkSize(e, maxBytes);
        try (InputStream in = zip.getInputStream(e); OutputStream out = Files.newOutputStream(target)) {
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(e, maxBytes);
                }
                out.write(buf, 0, n);
            }
        } catch (ZipException ex) {
            throw new KerasFileException(path, "has a damaged entry " + WEIGHTS + " (" + ex.getMessage() + ")");
        }
    }

    private byte[] read(ZipEntry e, long maxBytes) throws IOException {
        checkSize(e, maxBytes);
        try (InputStream in = zip.getInputStream(e)) {
            byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > maxBytes) {
                throw tooLarge(e, maxBytes);
            }
            return bytes;
        } catch (ZipException ex) {
            throw new KerasFileException(path, "has a damaged entry " + e.getName() + " (" + ex.getMessage() + ")");
        }
    }

    private void checkSize(ZipEntry e, long maxBytes) throws KerasFileException {
        if (e.getSize() > maxBytes) {
            throw tooLarge(e, maxBytes);
        }
    }

    private KerasFileException tooLarge(ZipEntry e, long maxBytes) {
        return new KerasFileException(path, "is refused: its entry " + e.getName() + " declares or holds more than "
                + maxBytes + " bytes" + (e.getSize() >= 0 ? " (it declares " + e.getSize() + ")" : "")
                + ", more than this model's weights can need");
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
