package dev.kiln.benchmarks;

import dev.kiln.runtime.data.TrainTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One measurement in its own JVM, so that each system's peak memory is its own and no system warms another's JIT:
 * {@code Child kiln|kiln-loop|dl4j|spark|gemm <workload> [protocol options]}. Prints {@code INFO} and one {@code RESULT} line.
 */
public final class Child {
    private Child() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Child kiln|kiln-loop|dl4j|spark|gemm <workload> [--windows N --window-steps N"
                    + " --latency-calls N --seed N]");
            System.exit(2);
        }
        String system = args[0];
        Workload workload = Workloads.named(args[1]);
        Protocol protocol = Protocol.parse(Arrays.asList(args).subList(2, args.length));
        RunResult result;
        if (system.equals("gemm")) {
            MachineInfo.nd4j().forEach((k, v) -> System.out.println(MachineInfo.PREFIX + k + "=" + v));
            List<Double> nd4j = GemmBench.bestRates(workload.stepGemms(), false);
            List<Double> kiln = GemmBench.bestRates(workload.stepGemms(), true);
            List<Double> rates = new ArrayList<>();
            for (int i = 0; i < nd4j.size(); i++) {
                rates.add(Math.max(nd4j.get(i), kiln.get(i)));
            }
            result = new RunResult(system, workload.name());
            result.put("gemm_gflops_nd4j", nd4j);
            result.put("gemm_gflops_kiln", kiln);
            result.put("gemm_gflops", rates);
            result.put("gemm_limit_sps", GemmBench.limit(workload.stepGemms(), rates, workload.batchSize()));
        } else if (system.equals("spark")) {
            result = SparkBench.run(workload, workload.load(), protocol);
        } else {
            TrainTest data = workload.load();
            Contender contender = switch (system) {
                case "kiln" -> workload.kiln(data, protocol.seed());
                case "kiln-loop" -> workload.kilnLoop(data, protocol.seed());
                case "dl4j" -> workload.dl4j(data, protocol.seed());
                default -> throw new IllegalArgumentException("no system '" + system + "' in Java; kiln, kiln-loop, dl4j, gemm");
            };
            result = protocol.run(system, workload, contender);
        }
        System.out.println(result.line());
        System.out.flush();
        // ND4J's and DL4J's non-daemon threads (async prefetch, workspaces) must not keep the JVM alive.
        System.exit(0);
    }
}
