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
        long partitionBytesReceived, long clientTableBytesReceived) {}
