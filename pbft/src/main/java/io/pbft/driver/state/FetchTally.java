package io.pbft.driver.state;

/** The running counts behind {@link FetchStats}, shared by the jobs of a fetch. */
final class FetchTally {

    long requestsSent;
    long nodeHashesReceived;
    int partitionsInstalled;
    long partitionBytesReceived;
    long clientTableBytesReceived;

    FetchStats snapshot() {
        return new FetchStats(requestsSent, nodeHashesReceived, partitionsInstalled, partitionBytesReceived,
                clientTableBytesReceived);
    }
}
