package io.pbft.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import io.pbft.coretestfixture.ImpureFixture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The purity rule can fail: applied to {@link ImpureFixture}, it reports each way the fixture breaks
 * determinism, from the method that does it, and nothing from the method that uses only what the
 * core may.
 */
class CorePurityRuleTest {

    private static final String FIXTURE = ImpureFixture.class.getName();

    private static final List<String> VIOLATIONS = violations();

    private static List<String> violations() {
        // The whole package, so that javac's synthetic classes (an enum switch's table) are checked too.
        JavaClasses fixture = new ClassFileImporter().importPackages(ImpureFixture.class.getPackageName());
        EvaluationResult result = CorePurityRule.RULE.evaluate(fixture);
        return result.hasViolation() ? result.getFailureReport().getDetails() : List.of();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "iteratesASetOf                       | java.util.Set.of(",
        "iteratesAMapOf                       | java.util.Map.of(",
        "drawsARandomNumber                   | java.lang.Math.random()",
        "refersToARandomNumber                | java.lang.Math.random()",
        "shufflesAList                        | java.util.Collections.shuffle(",
        "readsTheEnvironment                  | java.lang.System.getenv(",
        "readsASystemProperty                 | java.lang.System.getProperty(",
        "readsASystemPropertyThroughLong      | java.lang.Long.getLong(",
        "readsTheClock                        | java.lang.System.currentTimeMillis()",
        "readsTheLocalTime                    | java.time.LocalDateTime is not on the core's allowlist",
        "readsAnIdentityHashCode              | java.lang.System.identityHashCode(",
        "hashesAnObjectWithoutItsOwnHashCode  | java.lang.Object.hashCode()",
        "printsAnObjectWithoutItsOwnToString  | java.lang.Object.toString()",
        "hashesAnEnum                         | io.pbft.core.Rejection.hashCode()",
        "printsAByteString                    | com.google.protobuf.ByteString.toString()",
        "fillsAHashMap                        | java.util.HashMap is not on the core's allowlist",
        "namesTheCurrentThread                | java.lang.Thread is not on the core's allowlist",
        "namesTheCurrentThread                | [threads belong to the drivers]",
        "sortsInParallel                      | java.util.Arrays.parallelSort(",
        "streamsInParallel                    | java.util.List.parallelStream()",
        "formatsInTheDefaultLocale            | java.lang.String.format(",
    })
    void reportsEachWayTheFixtureBreaksPurity(String method, String expected) {
        String origin = "<" + FIXTURE + "." + method + "(";

        assertThat(VIOLATIONS)
                .as("violations of %s", method)
                .anySatisfy(violation -> assertThat(violation).contains(origin, expected));
    }

    @Test
    void reportsNothingFromCodeThatUsesOnlyWhatTheCoreMay() {
        assertThat(VIOLATIONS)
                .isNotEmpty()
                .noneMatch(violation -> violation.contains("usesOnlyWhatTheCoreMay"))
                .noneMatch(violation -> violation.contains(FIXTURE + "$"));
    }
}
