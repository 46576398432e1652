package io.pbft.statemachine.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KvResultTest {

    @Test
    void decodeOfGarbageGivesAnInvalidResultInsteadOfThrowing() {
        assertThat(KvResult.decode(null)).isEqualTo(new KvResult.Invalid(KvResult.MALFORMED_RESULT));
        assertThat(KvResult.decode(new byte[] {(byte) 0x80})).isEqualTo(new KvResult.Invalid(KvResult.MALFORMED_RESULT));
        assertThat(KvResult.decode(new byte[] {0x0a, 0x7f})).isEqualTo(new KvResult.Invalid(KvResult.MALFORMED_RESULT));
        assertThat(KvResult.decode("\u00ff\u00ff\u00ff".getBytes(StandardCharsets.ISO_8859_1)).isInvalid()).isTrue();
    }

    @Test
    void decodeOfEmptyBytesGivesAnInvalidResult() {
        assertThat(KvResult.decode(new byte[0])).isEqualTo(new KvResult.Invalid(KvResultDecoder.EMPTY_RESULT));
    }

    @Test
    void decodeRoundTripsEveryKindOfAnswer() {
        KeyValueStateMachine store = new KeyValueStateMachine();

        assertThat(KvResult.decode(store.execute(KvOps.put("k", "v")))).isEqualTo(new KvResult.Previous(Optional.empty()));
        assertThat(KvResult.decode(store.execute(KvOps.get("k")))).isEqualTo(new KvResult.Value(Optional.of("v")));
        assertThat(KvResult.decode(store.execute(KvOps.cas("k", "v", "w"))))
                .isEqualTo(new KvResult.CasOutcome(true, Optional.of("w")));
        assertThat(KvResult.decode(store.execute(KvOps.transaction(Transaction.builder().read("k").read("x").build()))))
                .isEqualTo(new KvResult.TransactionOutcome(true, Map.of("k", Optional.of("w"), "x", Optional.empty())));
        assertThat(KvResult.decode(store.execute(KvOps.delete("k")))).isEqualTo(new KvResult.Previous(Optional.of("w")));
    }

    @Test
    void transactionReadsKeepTheRequestedOrder() {
        KeyValueStateMachine store = new KeyValueStateMachine();
        byte[] tx = KvOps.transaction(Transaction.builder().read("z").read("a").read("m").build());

        assertThat(KvResult.decode(store.execute(tx)).asTransaction().reads().keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void asOfTheWrongKindThrowsIllegalStateNamingTheActualResult() {
        KvResult invalid = new KvResult.Invalid("malformed operation: no operation set");

        assertThatThrownBy(invalid::asValue)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Value")
                .hasMessageContaining("no operation set");
        assertThatThrownBy(() -> new KvResult.Value(Optional.empty()).asCas()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void transactionOutcomeReadsCannotBeModified() {
        KvResult.TransactionOutcome outcome = new KvResult.TransactionOutcome(true, Map.of("k", Optional.empty()));

        assertThatThrownBy(() -> outcome.reads().put("x", Optional.empty())).isInstanceOf(UnsupportedOperationException.class);
    }
}
