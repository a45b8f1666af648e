package dev.kiln.processor;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

class ScratchDumpTest {
    @Test
    void dump() throws Exception {
        String src = java.nio.file.Files.readString(java.nio.file.Path.of("/tmp/scratch/Model.java"));
        String name = src.lines().filter(l -> l.contains("interface")).reduce((a, b) -> b).get()
                .replaceAll(".*interface (\\w+).*", "$1");
        Compilation c = ModelCompiler.compile("demo." + name, src);
        System.out.println(c.diagnostics());
        for (var f : c.generatedFiles()) {
            if (!f.getName().endsWith(".class")) {
                System.out.println("##### " + f.getName());
                System.out.println(f.getCharContent(true));
            }
        }
        var m = ModelCompiler.create(ModelCompiler.loader(c), "demo." + name + "Model", 1,
                org.nd4j.linalg.api.buffer.DataType.FLOAT);
        System.out.println(m.summary());
    }
}
