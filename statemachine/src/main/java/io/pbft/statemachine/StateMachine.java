package io.pbft.statemachine;

/**
 * The service that PBFT replicates: the one interface a service author implements.
 *
 * <p>Every replica holds its own instance. The library orders client operations with PBFT and
 * then calls {@link #execute} on every correct replica with the same operations in the same
 * order, and answers read-only queries with {@link #query}. Clients accept a result only when
 * 2f + 1 replicas (f + 1 for a client that gives up read-only safety) return <em>byte-for-byte identical</em> result bytes, and replicas compare {@link
 * #stateDigest()} at every checkpoint. So the implementation must be a deterministic function of
 * its state and its input: two replicas that start equal and execute the same operations must
 * produce the same results, the same digests and the same snapshots, whatever machine, JVM,
 * locale or time zone they run on.
 *
 * <h2>Determinism rules</h2>
 *
 * <ul>
 *   <li>No clocks: no {@code System.currentTimeMillis}, {@code System.nanoTime}, {@code
 *       Instant.now}, {@code LocalDate.now}. If the service needs time, it takes the agreed time
 *       of {@link RequestContext#timestampMillis()} (override {@link #execute(byte[],
 *       RequestContext)}), or the client puts a time in the operation.
 *   <li>No randomness: no {@code Random}, {@code SecureRandom}, {@code UUID.randomUUID}, {@code
 *       Math.random}. Derive identifiers from the state (a counter) or from the operation.
 *   <li>No iteration over unordered collections where the order can reach a result, the digest
 *       or the snapshot: use {@code TreeMap}, {@code TreeSet}, {@code LinkedHashMap}, sorted lists
 *       or arrays, never the iteration order of a {@code HashMap} or {@code HashSet}.
 *   <li>No I/O: no files, sockets, environment variables, system properties or databases
 *       outside the state itself. The library persists the state through {@link #snapshot()}.
 *   <li>No threads and no shared mutable state with other objects. The library calls the
 *       methods of one instance from one thread at a time, so no synchronization is needed.
 *   <li>No dependence on the platform: name the charset ({@code StandardCharsets.UTF_8}) and the
 *       locale ({@code Locale.ROOT}) explicitly, never use identity hash codes or {@code
 *       Object.toString()} of objects without their own {@code toString}.
 *   <li>Results are bytes compared across replicas: encode them canonically (protobuf without
 *       {@code map} fields, or a fixed layout), and make error results deterministic too (a
 *       fixed message, never the text of an exception from a library whose version may differ).
 *   <li>Every replica runs the same version of the service; changing the encoding of results or
 *       of the state is a protocol upgrade.
 * </ul>
 *
 * <h2>Contract of the methods</h2>
 *
 * <ul>
 *   <li>{@link #execute} may change the state; {@link #query}, {@link #stateDigest()} and {@link
 *       #snapshot()} never do.
 *   <li>Operations arrive from clients, possibly Byzantine ones: any byte array, including an
 *       empty one, may arrive. A malformed operation returns an error result; it must not throw
 *       and must not change the state. An exception escaping {@code execute} is a bug in the
 *       service, and the replica stops: it logs the exception at ERROR with the sequence number
 *       it was executing and closes, rather than turn the exception into a result (a vote the
 *       replicas must agree on) or risk diverging from the others. Since every correct replica
 *       executes the same operation, a deterministic bug stops them all: return an error result.
 *   <li>The library does exactly-once delivery and keeps the last reply per client; the service
 *       does not need to de-duplicate retransmissions.
 *   <li>The caller does not modify an array after passing it in; the implementation returns a
 *       fresh array from every method, never one it keeps a reference to.
 *   <li>The digest depends only on the abstract state, not on how the state was reached: a
 *       replica that fetched the state by {@link #restore} must compute the same digest as one
 *       that executed every operation.
 * </ul>
 *
 * <p>A service whose state is large implements {@link PartitionedStateMachine} instead, so that a
 * replica that fell behind fetches only the parts of the state that differ.
 *
 * <p>Example implementations: {@code io.pbft.statemachine.kv.KeyValueStateMachine} (get, put,
 * delete, compare-and-set, multi-key transactions) and {@code
 * io.pbft.statemachine.counter.CounterStateMachine} (the smallest possible service).
 */
public interface StateMachine {

    /** Length in bytes of every {@link #stateDigest()}: a SHA-256 sized digest. */
    int DIGEST_BYTES = 32;

    /**
     * Executes one ordered operation.
     *
     * <p>Deterministic: same state + same operation gives the same result and the same new
     * state, on every replica. Must not throw for malformed operations: return an error result
     * instead, and leave the state unchanged.
     *
     * @param operation the operation bytes as the client sent them
     * @return the result bytes, which clients compare byte-for-byte across replicas
     */
    byte[] execute(byte[] operation);

    /**
     * Executes one ordered operation, knowing who sent it, at which sequence number and at which
     * agreed time. This is what the library calls; by default it ignores the context and calls
     * {@link #execute(byte[])}. A service that needs the context (to check that the client owns
     * an account, to stamp a record with the time) overrides this method; its {@code
     * execute(byte[])} is then never called by the library and may return an error result.
     *
     * <p>The context is the same on every correct replica, so the same rules hold: same state,
     * same operation and same context give the same result and the same new state.
     *
     * @param operation the operation bytes as the client sent them
     * @param context the authenticated client, the sequence number and the agreed time
     * @return the result bytes, which clients compare byte-for-byte across replicas
     */
    default byte[] execute(byte[] operation, RequestContext context) {
        return execute(operation);
    }

    /**
     * Answers a read-only query against the current state without changing it.
     *
     * <p>PBFT runs read-only requests without ordering them: each replica answers at once and the
     * client waits for 2f + 1 matching results. The answer must therefore equal what {@link
     * #execute} would return for the same read, and an operation that would write must be
     * answered with an error result, not executed.
     *
     * @param operation the operation bytes as the client sent them
     * @return the result bytes, compared byte-for-byte across replicas
     */
    byte[] query(byte[] operation);

    /**
     * Returns a {@value #DIGEST_BYTES}-byte digest of the whole state; equal states give equal
     * digests on every replica, and a digest is a function of the state alone.
     *
     * <p>Replicas exchange it in CHECKPOINT messages; 2f + 1 matching digests make a checkpoint
     * stable, and a replica that fetches state checks it against this digest.
     */
    byte[] stateDigest();

    /**
     * Serialises the whole state: everything that can influence a future result or digest.
     *
     * <p>{@code restore(snapshot())} on a fresh instance must give an instance with the same
     * digest that answers every future operation identically.
     */
    byte[] snapshot();

    /**
     * Replaces the whole state with a snapshot taken by {@link #snapshot()}.
     *
     * <p>A snapshot may come from another replica, so it is untrusted input: a malformed one is
     * rejected and the current state is left exactly as it was.
     *
     * @throws IllegalArgumentException if the snapshot is malformed
     */
    void restore(byte[] snapshot);
}
