package io.pbft.node;

import io.pbft.driver.InboundPipeline;
import io.pbft.transport.Connection;
import io.pbft.transport.FrameListener;

/**
 * Frames from other replicas, as Netty hands them over on its I/O threads: checked there, in
 * parallel, by the {@link InboundPipeline} the simulator runs too, and what passes queued to the
 * core (or, on the I/O thread the core shares, applied at once).
 */
final class ReplicaInbound implements FrameListener {

    private final InboundPipeline pipeline;
    private final InboundPipeline.CoreInputs core;

    ReplicaInbound(InboundPipeline pipeline, CoreLoop core) {
        this.pipeline = pipeline;
        this.core = core.inputs();
    }

    @Override
    public void onFrame(Connection connection, byte[] frame) {
        pipeline.accept(frame, core);
    }
}
