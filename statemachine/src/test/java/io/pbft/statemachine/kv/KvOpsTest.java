package io.pbft.statemachine.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.statemachine.kv.proto.KvOperation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KvOpsTest {

    @Test
    void casWithNullExpectedEncodesAnAbsentExpectedValueNotAnEmptyString() throws Exception {
        KvOperation absent = KvOperation.parseFrom(KvOps.cas("k", null, "v"));
        KvOperation empty = KvOperation.parseFrom(KvOps.cas("k", "", "v"));

        assertThat(absent.getCas().hasExpected()).isFalse();
        assertThat(empty.getCas().hasExpected()).isTrue();
        assertThat(empty.getCas().getExpected()).isEmpty();
    }

    @Test
    void transactionEncodesConditionsWritesAndReadsInCallOrder() throws Exception {
        byte[] bytes = KvOps.transaction(Transaction.builder()
                .require("a", "1").require("b", null)
                .put("c", "3").delete("d")
                .read("e").read("a")
                .build());

        KvOperation.Transaction tx = KvOperation.parseFrom(bytes).getTransaction();
        assertThat(tx.getConditionsList()).extracting(KvOperation.Condition::getKey).containsExactly("a", "b");
        assertThat(tx.getConditions(1).hasExpected()).isFalse();
        assertThat(tx.getWritesList()).extracting(KvOperation.Write::getKey).containsExactly("c", "d");
        assertThat(tx.getWrites(1).hasValue()).isFalse();
        assertThat(tx.getReadsList()).containsExactly("e", "a");
    }

    @Test
    void encodingIsDeterministic() {
        Transaction tx = Transaction.builder().require("a", "1").put("b", "2").read("c").build();

        assertThat(KvOps.transaction(tx)).isEqualTo(KvOps.transaction(tx));
        assertThat(KvOps.put("k", "v")).isEqualTo(KvOps.put("k", "v"));
    }

    @Test
    void nullArgumentsAreRejectedOnTheClientSide() {
        assertThatThrownBy(() -> KvOps.get(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> KvOps.put("k", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> KvOps.cas("k", null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Transaction.builder().put("k", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Transaction.builder().read(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void builtTransactionIsImmutableAndTheBuilderReusable() {
        Transaction.Builder builder = Transaction.builder().put("a", "1");
        Transaction first = builder.build();
        Transaction second = builder.delete("a").build();

        assertThat(first.writes()).containsExactly(new Transaction.Write("a", Optional.of("1")));
        assertThat(second.writes()).hasSize(2);
        assertThat(second.isReadOnly()).isFalse();
        assertThat(Transaction.builder().read("x").build().isReadOnly()).isTrue();
        assertThatThrownBy(() -> first.writes().add(new Transaction.Write("b", Optional.empty())))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(new Transaction(List.of(), List.of(), List.of("k")).reads()).containsExactly("k");
    }
}
