package io.pbft.driver;

import io.pbft.core.message.Request;
import java.util.List;
import java.util.function.Predicate;

/**
 * The node's {@link RequestCheck}: a request of a pre-prepare is authentic if this replica's MAC
 * entry verifies (about 1 us) or, failing that, its client's signature (about 70 us, once per
 * request: {@link VerifiedSignatures}). The fallback covers a client that forged the entry for this
 * replica and a client whose session this replica never had or has evicted; with an honest
 * primary, which proposes only requests whose signature verified, every request is authentic here
 * one way or the other, and no batch is stranded.
 */
public final class ClientRequestCheck implements RequestCheck {

    private final Predicate<Request> macValid;
    private final VerifiedSignatures signatures;

    /**
     * @param macValid whether this replica's MAC entry of a request verifies under the session key
     *     it shares with the request's client (false without a session)
     */
    public ClientRequestCheck(Predicate<Request> macValid, VerifiedSignatures signatures) {
        this.macValid = macValid;
        this.signatures = signatures;
    }

    @Override
    public boolean authentic(List<Request> batch) {
        for (Request request : batch) {
            if (!macValid.test(request) && !signatures.verify(request)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean signed(Request request) {
        return signatures.verify(request);
    }
}
