package io.pbft.client;

/**
 * The key-value store answered, but not with the kind of result the operation asks for: it
 * rejected the operation ({@code KvResult.Invalid}, whose reason this carries) or the f + 1
 * replicas agreed on bytes that are not the expected answer. The request was executed (and
 * changed nothing, for an Invalid answer).
 */
public final class KvResultException extends ResultException {

    private final String reason;

    public KvResultException(String reason) {
        super(reason);
        this.reason = reason;
    }

    /** The store's reason, or what was wrong with the answer. */
    public String reason() {
        return reason;
    }
}
