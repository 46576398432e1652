package io.pbft.driver.state;

/**
 * What a fetch has cost so far, since {@link StateFetcher#start}: to check that only differing
 * partitions travel, and for metrics.
 *
 * @param requestsSent every {@code FetchState} sent, retries included
 * @param nodeHashesReceived node hashes and partition digests accepted in the Merkle walk
 * @param partitionsInstalled partitions committed into the local service
 * @param partitionBytesReceived partition content bytes appended to installs, refused attempts included
 * @param clientTableBytesReceived client table bytes accepted, refused attempts included
 */
public record FetchStats(long requestsSent, long nodeHashesReceived, int partitionsInstalled,
        long partitionBytesReceived, long clientTableBytesReceived) {

    /** Nothing fetched yet. */
    public static final FetchStats NONE = new FetchStats(0, 0, 0, 0, 0);

    /** The costs of this fetch and {@code other} together: totals over several fetches. */
    public FetchStats plus(FetchStats other) {
        return new FetchStats(requestsSent + other.requestsSent, nodeHashesReceived + other.nodeHashesReceived,
                partitionsInstalled + other.partitionsInstalled, partitionBytesReceived + other.partitionBytesReceived,
                clientTableBytesReceived + other.clientTableBytesReceived);
    }
}
