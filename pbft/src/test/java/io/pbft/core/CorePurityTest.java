package io.pbft.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The core must stay a pure, deterministic state machine: the simulator's promise that a seed
 * replays a run exactly depends on it.
 */
class CorePurityTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pbft.core");

    @Test
    void coreStartsNoThreadsAndReadsNoClockOrRandomness() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.security.SecureRandom")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Instant")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.HashMap")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.HashSet")
                .orShould().dependOnClassesThat().resideInAPackage("java.util.concurrent..")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .because("the core is driven by the node and by the simulator with time passed in")
                .check(CORE);
    }

    @Test
    void coreTouchesNoNetworkNoCryptoLibraryAndNoDriver() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "io.netty..", "org.bouncycastle..", "java.net..", "java.nio.channels..", "java.io..",
                        "io.pbft.node..", "io.pbft.wire..", "io.pbft.transport..", "org.slf4j..")
                .because("I/O, signatures and logging belong to the drivers")
                .check(CORE);
    }
}
