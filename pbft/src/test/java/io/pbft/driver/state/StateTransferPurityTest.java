package io.pbft.driver.state;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * State transfer runs in the simulator as in the node, so a seed must replay it exactly: the
 * package reads no clock, draws no random number, starts no thread and iterates no hash-ordered
 * collection. A lighter rule than the core's ({@code CorePurityRule}): logging, protobuf and
 * hashing are fine here.
 */
class StateTransferPurityTest {

    private static final JavaClasses STATE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pbft.driver.state");

    @Test
    void usesNoClockNoRandomnessNoThreadAndNoHashOrder() {
        assertThat(STATE.size()).isGreaterThan(10);

        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.HashMap")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.HashSet")
                .orShould().dependOnClassesThat().resideInAnyPackage("java.time..", "java.util.concurrent..",
                        "io.netty..")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(Math.class, "random")
                .because("state transfer is driven by its caller's time and replays from a simulator's seed")
                .check(STATE);
    }
}
