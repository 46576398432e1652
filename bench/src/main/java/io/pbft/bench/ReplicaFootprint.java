package io.pbft.bench;

import io.pbft.chaos.live.ReplicaProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What one replica process holds at a moment: its live heap (after a full collection, which this
 * forces), its resident memory, and its data directory on disk. A replica that keeps all it ever
 * executed would show it here; one whose memory and log are bounded shows the same figures after
 * ten thousand requests as after a million.
 *
 * @param heapAfterFullGcBytes the used heap right after {@code jcmd PID GC.run}, as {@code jstat -gc}
 *     reports it (survivor, eden and old spaces); -1 if the tools failed
 * @param residentBytes VmRSS of the process (heap, metaspace, code, thread stacks, direct buffers); -1
 *     if unknown
 * @param disk the replica's data directory
 * @param openDescriptors the process's open file descriptors (sockets, log segments, jars), as
 *     /proc/PID/fd lists them; -1 if unknown
 */
record ReplicaFootprint(long heapAfterFullGcBytes, long residentBytes, DiskUsage disk, long openDescriptors) {

    /**
     * A data directory's files: the write-ahead log's segments ({@code *.wal}), the snapshot, and
     * anything else (a snapshot being written).
     */
    record DiskUsage(long logBytes, int logSegments, long snapshotBytes, long otherBytes) {

        static final DiskUsage NONE = new DiskUsage(0, 0, 0, 0);

        long totalBytes() {
            return logBytes + snapshotBytes + otherBytes;
        }
    }

    /** The log's segments are named after their first record, with this suffix (see io.pbft.storage.Segment). */
    static final String SEGMENT_SUFFIX = ".wal";
    /** The snapshot file's name (see io.pbft.storage.SnapshotFile). */
    static final String SNAPSHOT_FILE = "snapshot";
    /**
     * The replica JVM option that makes a full collection leave no garbage behind. The serial
     * collector's full GC otherwise leaves up to {@code MarkSweepDeadRatio} (5) percent of the old
     * generation as dead objects where moving the live ones would cost more, and compacts all only
     * every {@code MarkSweepAlwaysCompactCount} (4) full collections: the heap "after a full GC" then
     * held up to 9 MiB of dead filler arrays (int[]) three times out of four, a sawtooth of the
     * measurement rather than of the replica.
     */
    static final String COMPACT_EVERY_FULL_GC = "-XX:MarkSweepDeadRatio=0";

    /** The {@code jstat -gc} columns of used heap, in KiB: the survivor spaces, eden, and the old generation. */
    private static final List<String> HEAP_USED_COLUMNS = List.of("S0U", "S1U", "EU", "OU");
    private static final long TOOL_TIMEOUT_SECONDS = 60;

    /** Collects the garbage of replica {@code id}, then measures it: the replica pauses for the collection. */
    static ReplicaFootprint measure(ReplicaProcesses replicas, int id) throws IOException, InterruptedException {
        long pid = replicas.pid(id);
        return new ReplicaFootprint(heapAfterFullGc(pid), residentBytes(pid),
                diskUsage(replicas.dataDirectory(id)), openDescriptors(pid));
    }

    /**
     * The open file descriptors of process {@code pid}, counted in /proc/PID/fd; -1 where /proc does
     * not tell. Every connection a replica accepts holds one until it is closed, so this is what a
     * connection flood spends of the process's descriptor limit.
     */
    static long openDescriptors(long pid) {
        try (Stream<Path> descriptors = Files.list(Paths.get("/proc", Long.toString(pid), "fd"))) {
            return descriptors.count();
        } catch (IOException | RuntimeException e) {
            return -1; // not Linux, or the process is gone
        }
    }

    /**
     * Forces a full collection in the JVM of {@code pid} ({@code jcmd PID GC.run}, which calls
     * {@code System.gc()}) and reads the heap then in use ({@code jstat -gc PID}); -1 if either tool
     * failed. With the serial collector, the replicas' by default, a {@code System.gc()} collects
     * the whole heap, so what is left is what the replica holds on to, provided the JVM runs with
     * {@link #COMPACT_EVERY_FULL_GC}.
     */
    static long heapAfterFullGc(long pid) throws InterruptedException {
        try {
            run(List.of(jdkTool("jcmd"), Long.toString(pid), "GC.run"));
            return jstatHeapUsedBytes(run(List.of(jdkTool("jstat"), "-gc", Long.toString(pid))));
        } catch (IOException | IllegalArgumentException e) {
            return -1;
        }
    }

    /**
     * The used heap in bytes from the output of {@code jstat -gc}: a header line of column names and
     * a line of values in KiB, of which the survivor, eden and old spaces' used columns are summed.
     *
     * @throws IllegalArgumentException if the output does not have those columns
     */
    static long jstatHeapUsedBytes(String jstatOutput) {
        List<String> lines = jstatOutput.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        if (lines.size() < 2) {
            throw new IllegalArgumentException("jstat -gc printed no header and values: " + jstatOutput);
        }
        List<String> names = List.of(lines.get(0).split("\\s+"));
        String[] values = lines.get(1).split("\\s+");
        double kib = 0;
        for (String column : HEAP_USED_COLUMNS) {
            int index = names.indexOf(column);
            if (index < 0 || index >= values.length) {
                throw new IllegalArgumentException("jstat -gc printed no column " + column + ": " + jstatOutput);
            }
            kib += Double.parseDouble(values[index]);
        }
        return Math.round(kib * 1024);
    }

    /** VmRSS of process {@code pid} from /proc, in bytes; -1 where /proc does not tell. */
    static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status"),
                    StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** The files in {@code dataDirectory} and below, by what they are; {@link DiskUsage#NONE} if it does not exist. */
    static DiskUsage diskUsage(Path dataDirectory) throws IOException {
        if (!Files.isDirectory(dataDirectory)) {
            return DiskUsage.NONE;
        }
        long log = 0;
        int segments = 0;
        long snapshot = 0;
        long other = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDirectory)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                continue; // deleted meanwhile: a segment behind a stable checkpoint, or a snapshot renamed
            }
            String name = file.getFileName().toString();
            if (name.endsWith(SEGMENT_SUFFIX)) {
                log += size;
                segments++;
            } else if (name.equals(SNAPSHOT_FILE)) {
                snapshot += size;
            } else {
                other += size;
            }
        }
        return new DiskUsage(log, segments, snapshot, other);
    }

    /** A tool of the JDK this benchmark runs on, or the one on the PATH if that JDK lacks it (a JRE). */
    private static String jdkTool(String name) {
        Path tool = Paths.get(System.getProperty("java.home"), "bin", name);
        return Files.isExecutable(tool) ? tool.toString() : name;
    }

    /** Runs {@code command} and returns what it printed; fails if it does not exit 0 in time. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not exit within " + TOOL_TIMEOUT_SECONDS + " s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + text);
        }
        return text;
    }
}
