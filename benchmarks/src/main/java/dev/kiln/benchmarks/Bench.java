package dev.kiln.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The harness {@code benchmarks/run} starts: for each workload, R rounds of Kiln, DL4J and PyTorch in turn, each in a
 * fresh process (plus ND4J's GEMM rates once a round), then a table of medians. This JVM loads no ND4J itself.
 *
 * <pre>
 * options: --quick            1 round, short windows (~2-3 minutes)
 *          --rounds R         rounds (default 5; quick 1)
 *          --systems a,b,c    of kiln, kiln-loop (Kiln in a custom loop), dl4j, torch (default these four), and
 *                             spark (Kiln on Spark in local mode, 1 and 2 threads; fashion-mlp only)
 *          --workload NAME    one workload (default all: {@link Workloads#ALL})
 *          --threads N        OMP/BLAS threads and torch.set_num_threads (default 2)
 *          --python PATH      the interpreter with torch (default /usr/bin/python3)
 *          --torch-library-path DIR   LD_LIBRARY_PATH for PyTorch (benchmarks/run points it at ND4J's OpenBLAS)
 *          --spark-classpath CP       the spark child's classpath (benchmarks/run gives the spark module's first)
 *          --verbose          echo the children's output
 * </pre>
 */
public final class Bench {
    static final List<String> SYSTEMS = List.of("kiln", "kiln-loop", "dl4j", "torch", "spark");
    /** What runs without --systems: Spark only when asked for, as it takes minutes of its own. */
    static final List<String> DEFAULT_SYSTEMS = List.of("kiln", "kiln-loop", "dl4j", "torch");
    /** The workloads the spark system runs (W1); others say so and go on. */
    static final List<String> SPARK_WORKLOADS = List.of("fashion-mlp");
    private static final List<String> CHILD_JVM = List.of("-Xms512m", "-Xmx3g");
    /**
     * The spark child: the training set in rows and in cached blocks beside the JVM's own model, and the JDK packages
     * Spark opens on Java 17 (as spark-submit passes them).
     */
    private static final List<String> SPARK_JVM = List.of("-Xms512m", "-Xmx5g", "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true", "-Dlog4j2.configurationFile=spark/log4j2-sample.properties");

    private final Protocol protocol;
    private final int rounds;
    private final List<String> systems;
    private final List<Workload> workloads;
    private final int threads;
    private final String python;
    private final String torchLibraryPath;
    private final boolean verbose;
    private final long childTimeoutSeconds;
    /** The spark child's classpath (benchmarks/run gives the spark module's, then the harness's), or null. */
    private final String sparkClasspath;
    private final Map<String, String> nd4jInfo = new LinkedHashMap<>();

    private Bench(Protocol protocol, int rounds, List<String> systems, List<Workload> workloads, int threads,
            String python, String torchLibraryPath, boolean verbose, long childTimeoutSeconds, String sparkClasspath) {
        this.protocol = protocol;
        this.rounds = rounds;
        this.systems = systems;
        this.workloads = workloads;
        this.threads = threads;
        this.python = python;
        this.torchLibraryPath = torchLibraryPath;
        this.verbose = verbose;
        this.childTimeoutSeconds = childTimeoutSeconds;
        this.sparkClasspath = sparkClasspath;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Integer rounds = null;
        List<String> systems = DEFAULT_SYSTEMS;
        List<Workload> workloads = Workloads.ALL;
        int threads = 2;
        String python = "/usr/bin/python3";
        String torchLibraryPath = null;
        String sparkClasspath = null;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--systems" -> systems = Arrays.asList(args[++i].split(","));
                case "--workload" -> workloads = List.of(Workloads.named(args[++i]));
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--python" -> python = args[++i];
                case "--torch-library-path" -> torchLibraryPath = args[++i];
                case "--spark-classpath" -> sparkClasspath = args[++i];
                case "--verbose" -> verbose = true;
                default -> {
                    System.err.println("unknown option " + args[i] + "; see dev.kiln.benchmarks.Bench's Javadoc");
                    System.exit(2);
                }
            }
        }
        for (String s : systems) {
            if (!SYSTEMS.contains(s)) {
                System.err.println("unknown system " + s + "; systems are " + SYSTEMS);
                System.exit(2);
            }
        }
        Protocol protocol = quick ? Protocol.quick() : Protocol.full();
        new Bench(protocol, rounds != null ? rounds : quick ? 1 : 5, systems, workloads, threads, python, torchLibraryPath, verbose,
                quick ? 300 : 900, sparkClasspath).run(quick);
    }

    private void run(boolean quick) throws Exception {
        System.out.println("Kiln benchmarks (" + (quick ? "quick" : "full") + " mode): " + rounds + " round(s), "
                + protocol.windows() + " windows of " + protocol.windowSteps() + " training steps, "
                + protocol.latencyCalls() + " batch-1 calls, seeds " + protocol.seed() + (rounds > 1 ? "-"
                + (protocol.seed() + rounds - 1) + " (one a round)" : ""));
        MachineInfo.host().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-24s %s%n", k, v));
        System.out.printf(Locale.ROOT, "  %-24s %d (OMP_NUM_THREADS, OPENBLAS/MKL_NUM_THREADS, torch.set_num_threads),"
                + " OMP_WAIT_POLICY=PASSIVE%n", "threads", threads);
        List<String> active = new ArrayList<>(systems);
        if (active.contains("spark") && sparkClasspath == null) {
            active.remove("spark");
            System.out.println("  spark: no --spark-classpath (benchmarks/run gives it once the spark module is built);"
                    + " continuing without it");
        }
        if (active.contains("torch")) {
            String torch = torchVersion();
            if (torch == null) {
                active.remove("torch");
            } else {
                System.out.printf(Locale.ROOT, "  %-24s %s%n", "pytorch", torch);
            }
        }
        for (Workload workload : workloads) {
            BenchReport report = new BenchReport(workload, active);
            System.out.println();
            System.out.println("== " + workload.name() + ": " + workload.description());
            for (int round = 1; round <= rounds; round++) {
                RunResult gemm = child("gemm", workload, round);
                if (gemm != null) {
                    report.addGemm(gemm);
                    if (round == 1) {
                        nd4jInfo.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-24s %s%n", k, v));
                    }
                }
                for (String system : active) {
                    if (system.equals("spark") && !SPARK_WORKLOADS.contains(workload.name())) {
                        if (round == 1) {
                            System.out.println("  spark: runs " + SPARK_WORKLOADS + " only");
                        }
                        continue;
                    }
                    RunResult r = child(system, workload, round);
                    if (r != null) {
                        report.add(system, r);
                    }
                }
            }
            System.out.println();
            System.out.print(report.render(rounds));
        }
    }

    /** Runs one child process; its result, or null (reported) when it failed. */
    private RunResult child(String system, Workload workload, int round) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (system.equals("torch")) {
            command.add(python);
            command.add(workload.torchScript());
            command.add("--workload");
            command.add(workload.name());
            command.add("--threads");
            command.add(Integer.toString(threads));
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(system.equals("spark") ? SPARK_JVM : CHILD_JVM);
            command.add("-cp");
            command.add(system.equals("spark") ? sparkClasspath : System.getProperty("java.class.path"));
            command.add(Child.class.getName());
            command.add(system);
            command.add(workload.name());
        }
        // Each round its own seed (42, 43, ... by default): the accuracy after one epoch moves by about a point with
        // the seed, so the report's median over the rounds says whether the systems learn alike, one seed would not.
        command.addAll(protocol.withSeed(protocol.seed() + round - 1).args());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        env.put("MKL_NUM_THREADS", Integer.toString(threads));
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        if (system.equals("torch") && torchLibraryPath != null) {
            String inherited = env.get("LD_LIBRARY_PATH");
            env.put("LD_LIBRARY_PATH", torchLibraryPath + (inherited == null ? "" : ":" + inherited));
        }
        String load = loadAverage();
        long start = System.nanoTime();
        Process process = pb.start();
        List<String> log = new ArrayList<>();
        RunResult[] result = new RunResult[1];
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith(RunResult.PREFIX)) {
                        result[0] = RunResult.parse(line);
                    } else if (line.startsWith(MachineInfo.PREFIX)) {
                        int eq = line.indexOf('=');
                        nd4jInfo.put(line.substring(MachineInfo.PREFIX.length(), eq), line.substring(eq + 1));
                    } else {
                        synchronized (log) {
                            log.add(line);
                        }
                        if (verbose) {
                            System.out.println("    | " + line);
                        }
                    }
                }
            } catch (IOException e) {
                // the process died; reported below
            }
        });
        reader.start();
        long limit = childTimeoutSeconds * workload.timeLimitScale() * (system.equals("spark") ? 4 : 1);
        boolean finished = process.waitFor(limit, TimeUnit.SECONDS);
        if (!finished) {
            System.out.println("  round " + round + " " + system + ": still running after " + limit
                    + " s; its threads:");
            dumpThreads(process, system);
            process.destroyForcibly();
            process.waitFor();
        }
        reader.join();
        if (result[0] != null) {
            result[0].put("round", round);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (result[0] == null) {
            System.out.printf(Locale.ROOT, "  round %d %-6s FAILED (exit %d, %.0f s); its last output:%n", round, system,
                    process.exitValue(), seconds);
            synchronized (log) {
                log.subList(Math.max(0, log.size() - 30), log.size()).forEach(l -> System.out.println("    | " + l));
            }
            return null;
        }
        System.out.printf(Locale.ROOT, "  round %d %-6s %s (%.0f s, load average %s)%n", round, system,
                BenchReport.progress(result[0]), seconds, load);
        if (system.equals("torch") && round == 1 && result[0].has("blas")) {
            System.out.println("               PyTorch's BLAS: " + result[0].text("blas"));
        }
        return result[0];
    }

    /** For a Java child that hangs or crawls: its threads' stacks, the busiest first lines, via jcmd. */
    private static void dumpThreads(Process process, String system) {
        if (system.equals("torch")) {
            return;
        }
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            dump.lines().filter(l -> l.startsWith("\"main\"") || l.startsWith("\tat ")).limit(40)
                    .forEach(l -> System.out.println("    | " + l));
        } catch (IOException | InterruptedException e) {
            System.out.println("    | (no thread dump: " + e.getMessage() + ")");
        }
    }

    /** The 1-minute load average when a child starts: other work on the machine shows here. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** torch's version from {@link #python}, or null after saying why PyTorch is left out. */
    private String torchVersion() throws InterruptedException {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch; print(torch.__version__)")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() == 0) {
                return out + " (" + python + ")";
            }
            String[] lines = out.split("\n");
            System.out.println("  PyTorch: " + python + " cannot import torch (" + lines[lines.length - 1]
                    + "); continuing without it");
        } catch (IOException e) {
            System.out.println("  PyTorch: cannot run " + python + " (" + e.getMessage() + "); continuing without it");
        }
        return null;
    }
}
