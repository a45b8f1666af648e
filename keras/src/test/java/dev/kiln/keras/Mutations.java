package dev.kiln.keras;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Edits of Keras archives for tests: an entry rewritten, renamed, dropped or added. */
final class Mutations {
    private Mutations() {
    }

    /** The entries of an archive, in order. */
    static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> e = z.entries();
            while (e.hasMoreElements()) {
                ZipEntry entry = e.nextElement();
                out.put(entry.getName(), z.getInputStream(entry).readAllBytes());
            }
        }
        return out;
    }

    /** Writes {@code entries} (names may repeat: a list of pairs) as a stored zip. */
    static Path write(Path target, List<Map.Entry<String, byte[]>> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(target); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                z.putNextEntry(entry);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return target;
    }

    static Path rewriteEntry(Path zip, Path target, String name, UnaryOperator<String> edit) throws IOException {
        List<Map.Entry<String, byte[]>> list = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : entries(zip).entrySet()) {
            byte[] bytes = e.getKey().equals(name)
                    ? edit.apply(new String(e.getValue(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)
                    : e.getValue();
            list.add(Map.entry(e.getKey(), bytes));
        }
        return write(target, list);
    }
}
