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
 * One Linux network namespace per replica, made with {@code ip}: each has a veth pair whose other
 * end sits on one bridge in this process's namespace, which holds the first address of a private
 * /24, so the test's clients reach every replica and the replicas each other only through the
 * bridge. Cutting a replica's link sets the bridge end of its veth down, as a pulled cable would.
 * Names carry a random suffix, so that runs side by side (or one that a crash left behind) do not
 * meet; {@link #close} removes everything this made, and a shutdown hook does it if the JVM is
 * stopped first.
 */
final class NetworkNamespaces implements AutoCloseable {

    private static final long COMMAND_SECONDS = 20;
    private static final int SUBNET_ATTEMPTS = 16;

    private final String tag;
    private final String bridge;
    private final String subnetPrefix;
    private final int count;
    private final List<String> created = new ArrayList<>();
    private final Thread cleanupHook = new Thread(this::removeAll, "pbft-remove-namespaces");
    private boolean closed;

    private NetworkNamespaces(String tag, String subnetPrefix, int count) {
        this.tag = tag;
        this.bridge = "pb" + tag + "br";
        this.subnetPrefix = subnetPrefix;
        this.count = count;
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    /**
     * Makes {@code count} namespaces on a bridge, or aborts the test (JUnit assumption) with what
     * {@code ip} said when this machine does not allow it: not Linux, not root, no {@code ip}, or a
     * kernel or container without network namespaces.
     */
    static NetworkNamespaces create(int count) throws IOException, InterruptedException {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "network namespaces are Linux's; this is " + System.getProperty("os.name"));
        byte[] random = new byte[3];
        SecureRandom secure = new SecureRandom();
        secure.nextBytes(random);
        String tag = HexFormat.of().formatHex(random);
        String probe = "pbft-" + tag + "-probe";
        Result added = run("ip", "netns", "add", probe);
        Assumptions.assumeTrue(added.exitCode() == 0, "cannot make a network namespace here (needs root and a kernel"
                + " that allows it): `ip netns add` said: " + added.output());
        run("ip", "netns", "del", probe);
        NetworkNamespaces namespaces = new NetworkNamespaces(tag, freeSubnet(secure), count);
        try {
            namespaces.build();
            return namespaces;
        } catch (IOException | RuntimeException e) {
            namespaces.close();
            throw e;
        }
    }

    /** A 10.213.X.0/24 that no route of this machine covers yet. */
    private static String freeSubnet(SecureRandom random) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < SUBNET_ATTEMPTS; attempt++) {
            String prefix = "10.213." + random.nextInt(256) + ".";
            Result routes = run("ip", "-4", "route", "show", "to", "match", prefix + "1");
            // Only the default route may match: a 10.x route there would be someone's network.
            if (routes.exitCode() == 0 && routes.output().lines().noneMatch(line -> line.startsWith("10."))) {
                return prefix;
            }
        }
        throw new IOException("no free 10.213.X.0/24 for the test's bridge after " + SUBNET_ATTEMPTS + " tries");
    }

    private void build() throws IOException, InterruptedException {
        created.add("bridge");
        must("ip", "link", "add", bridge, "type", "bridge");
        must("ip", "addr", "add", subnetPrefix + "1/24", "dev", bridge);
        must("ip", "link", "set", bridge, "up");
        for (int i = 0; i < count; i++) {
            String namespace = namespace(i);
            String inside = "pb" + tag + "p" + i;
            created.add(namespace);
            must("ip", "netns", "add", namespace);
            must("ip", "link", "add", hostEnd(i), "type", "veth", "peer", "name", inside);
            must("ip", "link", "set", inside, "netns", namespace);
            must("ip", "link", "set", hostEnd(i), "master", bridge);
            must("ip", "link", "set", hostEnd(i), "up");
            must("ip", "netns", "exec", namespace, "ip", "addr", "add", address(i) + "/24", "dev", inside);
            must("ip", "netns", "exec", namespace, "ip", "link", "set", inside, "up");
            must("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
        }
    }

    /** The address of namespace {@code i} on the bridge. */
    String address(int i) {
        return subnetPrefix + (10 + i);
    }

    /** The command that runs a program in namespace {@code i}. */
    List<String> exec(int i) {
        return List.of("ip", "netns", "exec", namespace(i));
    }

    /** Namespace {@code i} loses its link: nothing reaches it, nothing leaves it. */
    void cut(int i) throws IOException, InterruptedException {
        must("ip", "link", "set", hostEnd(i), "down");
    }

    /** Namespace {@code i}'s link is back. */
    void heal(int i) throws IOException, InterruptedException {
        must("ip", "link", "set", hostEnd(i), "up");
    }

    String describe() {
        return "namespaces " + namespace(0) + " to " + namespace(count - 1) + " on bridge " + bridge + " ("
                + subnetPrefix + "0/24)";
    }

    /** Removes the namespaces (their veths go with them) and the bridge. Idempotent. */
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

    /** Removes each thing made, whatever happens to the others: a leftover would outlive the test. */
    private void removeAll() {
        boolean interrupted = false;
        for (String made : List.copyOf(created)) {
            try {
                Result removed = made.equals("bridge") ? run("ip", "link", "del", bridge) : run("ip", "netns", "del", made);
                if (removed.exitCode() != 0) {
                    System.err.println("could not remove " + made + ": " + removed.output());
                }
            } catch (IOException e) {
                System.err.println("could not remove " + made + ": " + e.getMessage());
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private String namespace(int i) {
        return "pbft-" + tag + "-r" + i;
    }

    private String hostEnd(int i) {
        return "pb" + tag + "h" + i;
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
