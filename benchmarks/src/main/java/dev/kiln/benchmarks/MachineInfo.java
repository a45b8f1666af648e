package dev.kiln.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;

/** What the report says about the machine and the ND4J build, as {@code INFO key=value} lines. */
final class MachineInfo {
    static final String PREFIX = "INFO ";

    private MachineInfo() {
    }

    /** Facts that need no ND4J: the harness prints them before any child runs. */
    static Map<String, String> host() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("cpu", cpuModel());
        info.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        info.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        info.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return info;
    }

    /** ND4J's view, from a child process that has loaded the backend. */
    static Map<String, String> nd4j() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("nd4j.backend", Nd4j.getBackend().getClass().getSimpleName());
        info.put("nd4j.classifier", pomClassifier());
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        info.put("nd4j.blas", String.valueOf(env.getOrDefault("blas.vendor", Nd4j.factory().blas().getBlasVendor())));
        info.put("nd4j.omp.threads", String.valueOf(env.getOrDefault("omp.threads", "?")));
        info.put("nd4j.maxThreads", Integer.toString(Nd4j.getEnvironment().maxThreads()));
        info.put("nd4j.maxMasterThreads", Integer.toString(Nd4j.getEnvironment().maxMasterThreads()));
        Loader.getLoadedLibraries().forEach((name, path) -> {
            if (name.contains("nd4j")) {
                info.put("nd4j.native", path);
            }
        });
        info.put("OMP_NUM_THREADS", String.valueOf(System.getenv("OMP_NUM_THREADS")));
        info.put("OMP_WAIT_POLICY", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        return info;
    }

    private static String pomClassifier() {
        try (InputStream in = MachineInfo.class.getResourceAsStream("/kiln-benchmarks.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("nd4j.classifier", "?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
