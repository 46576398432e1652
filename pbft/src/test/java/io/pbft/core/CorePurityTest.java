package io.pbft.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The core must stay a pure, deterministic state machine: the simulator's promise that a seed
 * replays a run exactly, in this JVM or another, depends on it. {@link CorePurityRule} says what
 * the core may use and how to extend that; {@link CorePurityRuleTest} shows the rule still fails
 * on code that breaks it.
 */
class CorePurityTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pbft.core");

    /**
     * Packages and classes that must never reach the allowlist. The allowlist already keeps them
     * out of the core (this replaces the former denylist test of I/O, crypto and driver packages);
     * this guards the list itself against a careless extension.
     */
    private static final List<String> NEVER_ALLOWED = List.of(
            // I/O, signatures and logging belong to the drivers.
            "io.netty.", "org.bouncycastle.", "java.net.", "java.io.", "java.nio.channels.", "java.nio.file.",
            "org.slf4j.", "io.pbft.node.", "io.pbft.wire.", "io.pbft.transport.",
            // Threads, clocks, randomness and hash-ordered collections.
            "java.util.concurrent.", "java.time.", "java.lang.Thread", "java.lang.ThreadLocal",
            "java.util.Random", "java.security.", "java.util.UUID", "java.util.HashMap", "java.util.HashSet",
            "java.util.Hashtable", "java.util.WeakHashMap", "java.util.IdentityHashMap",
            "java.util.stream.Collectors");

    @Test
    void coreDependsOnlyOnTheAllowlistAndMakesNoNondeterministicCall() {
        assertThat(CORE.size()).as("classes imported from io.pbft.core").isGreaterThan(20);

        CorePurityRule.RULE.check(CORE);
    }

    @Test
    void theAllowlistLetsInNoIoNoCryptoLibraryNoDriverNoClockAndNoRandomness() {
        List<String> allowed = new ArrayList<>(CorePurityRule.ALLOWED_CLASSES);
        CorePurityRule.ALLOWED_PACKAGES.forEach(name -> allowed.add(name + "."));

        assertThat(allowed).noneMatch(name -> NEVER_ALLOWED.stream().anyMatch(name::startsWith));
    }
}
