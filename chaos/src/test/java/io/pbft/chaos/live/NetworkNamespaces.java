package io.pbft.chaos.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Linux network namespaces, made with {@code ip}, nothing of them in this process's (the host's)
 * namespace: a "switch" namespace holds one bridge; each replica, and the clients, have a namespace
 * of their own joined to the bridge by a veth pair, one end inside the member's namespace, the other
 * a port of the bridge. So the replicas reach each other, and the clients reach them, only through
 * the switch, and this process reaches none of them: what talks to the cluster must run in the
 * client namespace ({@link #clientExec}). Cutting a member's link sets its bridge port down, as a
 * pulled cable would. Names carry a random suffix, so that runs side by side (or one that a crash
 * left behind) do not meet; {@link #close} removes everything this made, and a shutdown hook does it
 * if the JVM is stopped first.
 */
final class NetworkNamespaces implements AutoCloseable {

    private static final long COMMAND_SECONDS = 20;
    /**
     * The members' subnet. It exists only inside this run's namespaces, which have no route out, so
     * it meets no network of the host's nor of another run's.
     */
    private static final String SUBNET_PREFIX = "10.213.0.";

    private final String tag;
    private final int replicas;
    private final List<String> created = new ArrayList<>();
    private final Thread cleanupHook = new Thread(this::removeAll, "pbft-remove-namespaces");
    private boolean closed;

    private NetworkNamespaces(String tag, int replicas) {
        this.tag = tag;
        this.replicas = replicas;
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    /**
     * Makes the switch, {@code replicas} replica namespaces and a client namespace on it, or aborts
     * the test (JUnit assumption) with what {@code ip} said when this machine does not allow it: not
     * Linux, not root, no {@code ip}, or a kernel or container without network namespaces.
     */
    static NetworkNamespaces create(int replicas) throws IOException, InterruptedException {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "network namespaces are Linux's; this is " + System.getProperty("os.name"));
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        String tag = HexFormat.of().formatHex(random);
        String probe = "pbft-" + tag + "-probe";
        Result added = run("ip", "netns", "add", probe);
        Assumptions.assumeTrue(added.exitCode() == 0, "cannot make a network namespace here (needs root and a kernel"
                + " that allows it): `ip netns add` said: " + added.output());
        run("ip", "netns", "del", probe);
        NetworkNamespaces namespaces = new NetworkNamespaces(tag, replicas);
        try {
            namespaces.build();
            return namespaces;
        } catch (IOException | RuntimeException e) {
            namespaces.close();
            throw e;
        }
    }

    private void build() throws IOException, InterruptedException {
        String sw = switchNamespace();
        add(sw);
        must("ip", "-n", sw, "link", "add", bridge(), "type", "bridge");
        must("ip", "-n", sw, "link", "set", bridge(), "up");
        for (int member = 0; member <= replicas; member++) {
            String namespace = namespace(member);
            String inside = "pb" + tag + "m" + member;
            add(namespace);
            // Made in the switch with its peer put straight into the member: no end ever sits in the host's namespace.
            must("ip", "-n", sw, "link", "add", port(member), "type", "veth", "peer", "name", inside,
                    "netns", namespace);
            must("ip", "-n", sw, "link", "set", port(member), "master", bridge());
            must("ip", "-n", sw, "link", "set", port(member), "up");
            must("ip", "-n", namespace, "addr", "add", SUBNET_PREFIX + (10 + member) + "/24", "dev", inside);
            must("ip", "-n", namespace, "link", "set", inside, "up");
            must("ip", "-n", namespace, "link", "set", "lo", "up");
        }
    }

    private void add(String namespace) throws IOException, InterruptedException {
        created.add(namespace);
        must("ip", "netns", "add", namespace);
    }

    /** The address of replica {@code i} on the switch. */
    String address(int i) {
        return SUBNET_PREFIX + (10 + i);
    }

    /** The command that runs a program in replica {@code i}'s namespace. */
    List<String> exec(int i) {
        return List.of("ip", "netns", "exec", namespace(i));
    }

    /** The command that runs a program in the clients' namespace, the only one this process can start one in. */
    List<String> clientExec() {
        return List.of("ip", "netns", "exec", namespace(replicas));
    }

    /** Replica {@code i} loses its link: nothing reaches it, nothing leaves it. */
    void cut(int i) throws IOException, InterruptedException {
        must("ip", "-n", switchNamespace(), "link", "set", port(i), "down");
    }

    /** Replica {@code i}'s link is back. */
    void heal(int i) throws IOException, InterruptedException {
        must("ip", "-n", switchNamespace(), "link", "set", port(i), "up");
    }

    String describe() {
        return "replica namespaces " + namespace(0) + " to " + namespace(replicas - 1) + " and client namespace "
                + namespace(replicas) + " on bridge " + bridge() + " in switch namespace " + switchNamespace()
                + " (" + SUBNET_PREFIX + "0/24)";
    }

    /** Removes the namespaces: the bridge and the veths go with them. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook removes them too, and removing twice is harmless
        }
    }

    /**
     * Removes each namespace made, whatever happens to the others: a leftover would outlive the test.
     * A process still inside one (a replica, the workload, when the JVM stops before they are
     * stopped) is killed first, since a namespace that holds a process outlives its name; only this
     * run's processes can be there, the names being this run's.
     */
    private void removeAll() {
        boolean interrupted = false;
        for (String namespace : List.copyOf(created)) {
            try {
                killProcessesIn(namespace);
                Result removed = run("ip", "netns", "del", namespace);
                if (removed.exitCode() != 0) {
                    System.err.println("could not remove " + namespace + ": " + removed.output());
                }
            } catch (IOException e) {
                System.err.println("could not remove " + namespace + ": " + e.getMessage());
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void killProcessesIn(String namespace) throws IOException, InterruptedException {
        Result pids = run("ip", "netns", "pids", namespace);
        if (pids.exitCode() != 0) {
            return;
        }
        for (String pid : pids.output().lines().map(String::strip).filter(line -> line.matches("\\d+")).toList()) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private String switchNamespace() {
        return "pbft-" + tag + "-sw";
    }

    /** Member {@code i}'s namespace: replica i below {@link #replicas}, the clients' at it. */
    private String namespace(int member) {
        return member < replicas ? "pbft-" + tag + "-r" + member : "pbft-" + tag + "-c";
    }

    private String bridge() {
        return "pb" + tag + "br";
    }

    /** Member {@code i}'s port on the bridge, in the switch namespace. */
    private String port(int member) {
        return "pb" + tag + "p" + member;
    }

    private static void must(String... command) throws IOException, InterruptedException {
        Result result = run(command);
        if (result.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + result.exitCode() + "): "
                    + result.output());
        }
    }

    private record Result(int exitCode, String output) {}

    private static Result run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(127, "cannot run " + command[0] + ": " + e.getMessage());
        }
        process.getOutputStream().close();
        if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + COMMAND_SECONDS + " s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new Result(process.exitValue(), output);
    }
}
