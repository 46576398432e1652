package io.pbft.statemachine;

/**
 * Reads a partition's content in bounded chunks: what both the live state ({@link
 * PartitionedStateMachine}) and a frozen {@link StateCheckpoint} offer, in the same chunk
 * encoding, so that a {@link PartitionInstall} accepts chunks from either.
 */
@FunctionalInterface
public interface PartitionReader {

    /**
     * Reads one chunk of a partition's content, in an encoding of the service's choosing that
     * {@link PartitionedStateMachine#installPartition} accepts.
     *
     * <p>Chunks are bounded so that neither the reader nor the fetcher ever holds more than one
     * partition at a time, nor sends an unbounded message. A chunk holds at most {@code maxBytes}
     * of content, except that it always holds at least one unit of the service's content (an
     * entry, for the key-value store) so that reading makes progress; such a unit may be larger
     * than {@code maxBytes}. Reading is stateless on this side: the cursor carries the position.
     *
     * @param cursor empty for the first chunk, else {@link PartitionChunk#next()} of the chunk
     *     before; it may come from a peer, so it is checked
     * @param maxBytes the content size to stay within, at least 1
     * @throws IllegalArgumentException if the partition does not exist, the cursor is malformed,
     *     or {@code maxBytes} is not positive
     */
    PartitionChunk readPartition(int partition, byte[] cursor, int maxBytes);
}
