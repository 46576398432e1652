package io.pbft.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestTest {

    private static final ByteString OPERATION = ByteString.copyFromUtf8("put k v");
    private static final ByteString MAC = ByteString.copyFrom(new byte[16]);

    @Test
    void theDigestCoversTheContentAndNotTheAuthenticator() {
        Request plain = new Request(7, 3, OPERATION, false, List.of());
        Request authenticated = new Request(7, 3, OPERATION, false, List.of(MAC, MAC));

        assertThat(authenticated.digest()).isEqualTo(plain.digest());
        assertThat(plain.withAuthenticator(List.of(MAC)).digest()).isEqualTo(plain.digest());
        assertThat(new Request(8, 3, OPERATION, false, List.of()).digest()).isNotEqualTo(plain.digest());
        assertThat(new Request(7, 4, OPERATION, false, List.of()).digest()).isNotEqualTo(plain.digest());
        assertThat(new Request(7, 3, OPERATION, true, List.of()).digest()).isNotEqualTo(plain.digest());
        assertThat(new Request(7, 3, ByteString.copyFromUtf8("put k w"), false, List.of()).digest())
                .isNotEqualTo(plain.digest());
    }

    @Test
    void equalityIsByContentAndAuthenticator() {
        Request request = new Request(7, 3, OPERATION, false, List.of(MAC));

        assertThat(request).isEqualTo(new Request(7, 3, OPERATION, false, List.of(MAC)))
                .hasSameHashCodeAs(new Request(7, 3, OPERATION, false, List.of(MAC)))
                .isNotEqualTo(request.withAuthenticator(List.of()));
    }
}
