package io.pbft.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a results file says about the machine: cores, CPU, memory, operating system, its load when
 * the run started, and what {@code java -version} prints for the JVM the replicas run on.
 */
record MachineInfo(int cores, String cpu, String memory, String os, String loadAverage, List<String> javaVersion) {

    static MachineInfo detect() {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(),
                procField("/proc/cpuinfo", "model name").orElse("unknown CPU"),
                procField("/proc/meminfo", "MemTotal").map(MachineInfo::kibToGib).orElse("unknown"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                readLoadAverage(),
                runJavaVersion());
    }

    /**
     * The machine as a results file shows it: list items on the machine, its load and
     * {@code java -version}, ending with a blank line.
     */
    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("- machine: ").append(cores).append(" cores (nproc), ").append(cpu).append(", ").append(memory)
                .append(" memory, ").append(os).append('\n');
        md.append("- load average (1, 5, 15 min) before the run: ").append(loadAverage)
                .append(" (the benchmark shares the cores with anything else running)\n");
        md.append("- java -version:\n\n");
        javaVersion.forEach(line -> md.append("      ").append(line).append('\n'));
        md.append('\n');
        return md.toString();
    }

    private static java.util.Optional<String> procField(String file, String field) {
        try {
            for (String line : Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(field)) {
                    return java.util.Optional.of(line.substring(colon + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the report says "unknown"
        }
        return java.util.Optional.empty();
    }

    /**
     * The 1, 5 and 15 minute load averages when the run started: other work on the machine shares
     * the cores with the replicas, and a reader of the results should know about it.
     */
    private static String readLoadAverage() {
        try {
            String[] fields = Files.readString(Paths.get("/proc/loadavg"), StandardCharsets.UTF_8).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String kibToGib(String memTotal) {
        try {
            long kib = Long.parseLong(memTotal.replace("kB", "").trim());
            return String.format(Locale.ROOT, "%.1f GiB", kib / (1024.0 * 1024.0));
        } catch (NumberFormatException e) {
            return memTotal;
        }
    }

    /** The lines {@code java -version} prints for this JVM's own java binary. */
    private static List<String> runJavaVersion() {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        try {
            Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            byte[] output;
            try (InputStream in = process.getInputStream()) {
                output = in.readNBytes(4096);
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return new String(output, StandardCharsets.UTF_8).lines().map(String::strip).toList();
        } catch (IOException e) {
            return List.of(System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        }
    }
}
