package io.pbft.node;

import io.pbft.driver.InboundPipeline;
import io.pbft.transport.Connection;
import io.pbft.transport.FrameListener;

/**
 * Frames from other replicas, as Netty hands them over on its I/O threads: checked there, in
 * parallel, by the {@link InboundPipeline} the simulator runs too, and what passes queued to the
 * core (or, on the I/O thread the core shares, applied at once). Presence frames, outside the
 * protocol, go to the {@link IdentityWatch}.
 */
final class ReplicaInbound implements FrameListener {

    private final InboundPipeline pipeline;
    private final InboundPipeline.CoreInputs core;
    private final IdentityWatch identity;

    ReplicaInbound(InboundPipeline pipeline, CoreLoop core, IdentityWatch identity) {
        this.pipeline = pipeline;
        this.core = core.inputs();
        this.identity = identity;
    }

    /** Every new connection, ours or a peer's, starts with this process's announcement (see IdentityWatch). */
    @Override
    public void onOpen(Connection connection) {
        connection.send(identity.announcement());
    }

    @Override
    public void onFrame(Connection connection, byte[] frame) {
        if (IdentityWatch.isPresence(frame)) {
            identity.onFrame(connection, frame);
        } else {
            pipeline.accept(frame, core);
        }
    }
}
