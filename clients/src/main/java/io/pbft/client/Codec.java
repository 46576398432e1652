package io.pbft.client;

/**
 * How a service's operations and results travel as bytes, so that its callers work with typed
 * values: {@link ServiceClient} encodes each operation with it and decodes the agreed result.
 *
 * <p>The encoding of operations is the service's wire format, so it must be the one its {@code
 * StateMachine} parses; results are compared byte for byte across replicas before they reach
 * {@link #decode}, so decoding sees bytes f + 1 replicas agreed on.
 *
 * @param <O> the operations the service takes
 * @param <R> the results it answers with
 */
public interface Codec<O, R> {

    /** The bytes the service executes for {@code operation}. */
    byte[] encode(O operation);

    /**
     * The result of {@code operation}, from the bytes the replicas agreed on. The operation is
     * given because the kind of result often depends on it (a transfer answers differently from a
     * balance read).
     *
     * @throws ResultException if the bytes do not decode, or decode to a rejection of the operation;
     *     its message says which, in words a caller can act on
     */
    R decode(O operation, byte[] result) throws ResultException;
}
