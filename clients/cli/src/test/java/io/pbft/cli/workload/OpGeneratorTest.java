package io.pbft.cli.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpGeneratorTest {

    @Test
    void theSameSeedGivesTheSameOperations() {
        List<PlannedOp> first = take(new OpGenerator("run", 3, 42, 8, OpMix.DEFAULT), 500);
        List<PlannedOp> second = take(new OpGenerator("run", 3, 42, 8, OpMix.DEFAULT), 500);

        assertThat(second).isEqualTo(first);
    }

    @Test
    void anotherSeedOrClientGivesOtherOperations() {
        List<PlannedOp> base = take(new OpGenerator("run", 3, 42, 8, OpMix.DEFAULT), 200);

        assertThat(take(new OpGenerator("run", 3, 43, 8, OpMix.DEFAULT), 200)).isNotEqualTo(base);
        assertThat(take(new OpGenerator("run", 4, 42, 8, OpMix.DEFAULT), 200)).isNotEqualTo(base);
    }

    @Test
    void everyValueWrittenInARunIsUnique() {
        Set<String> values = new HashSet<>();
        long written = 0;
        for (int client = 0; client < 8; client++) {
            OpGenerator generator = new OpGenerator("r1", client, 7, 4, OpMix.DEFAULT);
            for (PlannedOp op : take(generator, 1_000)) {
                if (op.value() != null) {
                    assertThat(values.add(op.value())).as("value %s written twice", op.value()).isTrue();
                    assertThat(op.value()).startsWith("r1-" + client + "-");
                    written++;
                }
            }
            assertThat(generator.valuesWritten()).isPositive();
        }
        assertThat(values).hasSize((int) written);
    }

    @Test
    void keysStayInTheKeySpaceAndEveryKindAppearsInItsShare() {
        Map<OpKind, Integer> counts = new EnumMap<>(OpKind.class);
        Set<String> keys = new HashSet<>();
        for (PlannedOp op : take(new OpGenerator("r", 0, 1, 5, OpMix.DEFAULT), 10_000)) {
            counts.merge(op.kind(), 1, Integer::sum);
            keys.add(op.key());
        }

        assertThat(keys).containsExactlyInAnyOrder("k0", "k1", "k2", "k3", "k4");
        // Shares of 40/30/20/10 percent over 10,000 draws; the bounds are many standard deviations wide.
        assertThat(counts.get(OpKind.GET)).isBetween(3_600, 4_400);
        assertThat(counts.get(OpKind.PUT)).isBetween(2_600, 3_400);
        assertThat(counts.get(OpKind.CAS)).isBetween(1_600, 2_400);
        assertThat(counts.get(OpKind.DELETE)).isBetween(700, 1_300);
    }

    @Test
    void aCasExpectsWhatThisClientLastSawUnderItsKey() {
        OpGenerator generator = new OpGenerator("r", 0, 5, 1, new OpMix(0, 0, 100, 0));

        assertThat(generator.next().expected()).as("nothing seen yet: expects absent").isNull();
        generator.observe("k0", Optional.of("r-9-1"));
        assertThat(generator.next().expected()).isEqualTo("r-9-1");
        generator.observe("k0", Optional.empty());
        assertThat(generator.next().expected()).isNull();
    }

    @Test
    void aMixMustAddUpToAHundred() {
        assertThatThrownBy(() -> new OpMix(50, 30, 20, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add up to 100");
        assertThatThrownBy(() -> new OpMix(-10, 60, 40, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<PlannedOp> take(OpGenerator generator, int count) {
        List<PlannedOp> ops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ops.add(generator.next());
        }
        return ops;
    }
}
