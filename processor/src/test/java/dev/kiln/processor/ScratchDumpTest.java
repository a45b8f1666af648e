package dev.kiln.processor;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

class ScratchDumpTest {
    @Test
    void dump() throws Exception {
        for (var p : java.nio.file.Files.list(java.nio.file.Path.of("/tmp/scratch/d")).sorted().toList()) {
            String src = java.nio.file.Files.readString(p);
            String name = src.lines().filter(l -> l.contains("interface")).reduce((a, b) -> b).get()
                    .replaceAll(".*interface (\\w+).*", "$1");
            Compilation c = ModelCompiler.compile("demo." + name, src);
            System.out.println("=== " + p.getFileName());
            for (var d : Diagnosed.all(c)) {
                System.out.println(d.getKind() + " line " + d.getLineNumber() + " col " + d.getColumnNumber() + ": "
                        + d.getMessage(java.util.Locale.ROOT));
            }
        }
    }
}
