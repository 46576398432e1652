package io.pbft.driver;

/** Where a driver's outbound frames go: a connection per peer in the node, the simulated network in the simulator. */
@FunctionalInterface
public interface FrameSink {

    void send(int peer, byte[] frame);
}
