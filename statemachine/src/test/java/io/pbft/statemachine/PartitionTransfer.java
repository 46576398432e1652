package io.pbft.statemachine;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The state side of a transfer, as a fetcher would drive it, for tests of partitioned services. */
public final class PartitionTransfer {

    private PartitionTransfer() {}

    /** Every chunk of {@code partition}, read {@code maxBytes} at a time from the live state or a checkpoint. */
    public static List<byte[]> readAll(PartitionReader source, int partition, int maxBytes) {
        return readAll(source, partition, maxBytes, () -> {});
    }

    /** Every chunk of {@code partition}, running {@code betweenChunks} after each chunk but the last. */
    public static List<byte[]> readAll(PartitionReader source, int partition, int maxBytes, Runnable betweenChunks) {
        List<byte[]> chunks = new ArrayList<>();
        byte[] cursor = new byte[0];
        while (true) {
            PartitionChunk chunk = source.readPartition(partition, cursor, maxBytes);
            chunks.add(chunk.content());
            if (chunk.isLast()) {
                return chunks;
            }
            betweenChunks.run();
            cursor = chunk.next();
        }
    }

    /**
     * Every chunk of every partition of {@code source}, read {@code maxBytes} at a time, each as
     * {@code "partition:hex"}: arrays compare by content only inside strings.
     */
    public static List<String> everyChunkInHex(PartitionReader source, int partitionCount, int maxBytes) {
        List<String> chunks = new ArrayList<>();
        for (int p = 0; p < partitionCount; p++) {
            for (byte[] chunk : readAll(source, p, maxBytes)) {
                chunks.add(p + ":" + HexFormat.of().formatHex(chunk));
            }
        }
        return chunks;
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

    /**
     * Brings {@code target} to {@code checkpoint} as a lagging replica would: walks its tree against
     * the checkpoint's from the checkpoint's root, and copies each differing partition chunk by
     * chunk, running {@code betweenChunks} (the server executing on) after every chunk read.
     *
     * @return the partitions copied
     */
    public static List<Integer> catchUp(StateCheckpoint checkpoint, PartitionedStateMachine target, int maxBytes,
            Runnable betweenChunks) {
        List<Integer> differing = target.merkleTree().differingLeaves(checkpoint.root(), checkpoint::hash);
        for (int partition : differing) {
            List<byte[]> chunks = readAll(checkpoint, partition, maxBytes, betweenChunks);
            betweenChunks.run();
            install(target, partition, chunks, checkpoint.partitionDigest(partition));
        }
        return differing;
    }
}
