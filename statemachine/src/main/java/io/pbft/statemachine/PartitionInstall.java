package io.pbft.statemachine;

/**
 * Replacement of one partition's content, assembled from chunks that a peer read with {@link
 * PartitionedStateMachine#readPartition}, then committed only if it matches the certified digest.
 *
 * <p>Typical use by a fetcher, with {@code digest} the partition digest checked against the
 * stable checkpoint's Merkle tree:
 *
 * <pre>{@code
 * PartitionInstall install = service.installPartition(p);
 * for (byte[] chunk : chunksFromPeer) {
 *     install.append(chunk);          // may throw: fetch that chunk from another replica
 * }
 * install.commit(digest);             // may throw: the peer lied; nothing changed
 * }</pre>
 *
 * <p>Chunks are untrusted. A service checks each chunk as far as it can alone (framing, encoding,
 * that the content belongs to this partition, order) and the whole at {@link #commit}. The
 * content staged here is one partition's; the caller bounds how many chunks it accepts.
 */
public interface PartitionInstall {

    /**
     * Adds the next chunk of content, in the order the reader produced them.
     *
     * @throws IllegalArgumentException if the chunk is malformed or cannot follow the chunks
     *     before it; the install is then as before the call, so the same chunk may be fetched
     *     again from another replica and appended
     * @throws IllegalStateException if the install was already committed
     */
    void append(byte[] chunk);

    /**
     * Replaces the partition with the appended content if that content has digest {@code
     * expectedDigest}, and ends the install.
     *
     * @throws IllegalArgumentException if the content does not match {@code expectedDigest} (or,
     *     for services that can only check content whole, is malformed); the state is unchanged,
     *     and as the bad chunk cannot be told apart, the partition is best fetched again whole
     * @throws IllegalStateException if the install was already committed
     */
    void commit(byte[] expectedDigest);
}
