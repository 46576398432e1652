package io.pbft.statemachine;

import java.util.Arrays;
import java.util.Objects;

/**
 * One bounded piece of a partition's content, as {@link PartitionedStateMachine#readPartition}
 * hands it out, with the cursor to read the next piece.
 *
 * <p>A cursor is empty only to mean "from the start", so an empty {@link #next()} marks the last
 * chunk. Arrays are copied in and out, so a chunk is immutable.
 *
 * @param content encoded content in the service's chunk encoding
 * @param next the cursor for the following chunk, or empty if this is the last
 */
public record PartitionChunk(byte[] content, byte[] next) {

    public PartitionChunk {
        content = Objects.requireNonNull(content, "content").clone();
        next = Objects.requireNonNull(next, "next").clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public byte[] next() {
        return next.clone();
    }

    /** Whether this chunk ends the partition. */
    public boolean isLast() {
        return next.length == 0;
    }

    /** Size of the content, without copying it. */
    public int contentBytes() {
        return content.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PartitionChunk chunk && Arrays.equals(content, chunk.content)
                && Arrays.equals(next, chunk.next);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(content) + Arrays.hashCode(next);
    }

    @Override
    public String toString() {
        return "PartitionChunk[" + content.length + " bytes" + (isLast() ? ", last]" : ", more]");
    }
}
