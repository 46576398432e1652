package io.pbft.statemachine;

import java.util.ArrayList;
import java.util.List;

/** The state side of a transfer, as a fetcher would drive it, for tests of partitioned services. */
public final class PartitionTransfer {

    private PartitionTransfer() {}

    /** Every chunk of {@code partition}, read {@code maxBytes} at a time. */
    public static List<byte[]> readAll(PartitionedStateMachine source, int partition, int maxBytes) {
        List<byte[]> chunks = new ArrayList<>();
        byte[] cursor = new byte[0];
        while (true) {
            PartitionChunk chunk = source.readPartition(partition, cursor, maxBytes);
            chunks.add(chunk.content());
            if (chunk.isLast()) {
                return chunks;
            }
            cursor = chunk.next();
        }
    }

    /** Installs {@code chunks} into {@code partition} of {@code target}, expecting {@code digest}. */
    public static void install(PartitionedStateMachine target, int partition, List<byte[]> chunks, byte[] digest) {
        PartitionInstall install = target.installPartition(partition);
        for (byte[] chunk : chunks) {
            install.append(chunk);
        }
        install.commit(digest);
    }

    /** Copies {@code partition} from {@code source} to {@code target} chunk by chunk. */
    public static void copy(PartitionedStateMachine source, PartitionedStateMachine target, int partition, int maxBytes) {
        install(target, partition, readAll(source, partition, maxBytes), source.partitionDigest(partition));
    }
}
