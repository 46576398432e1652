package io.pbft.chaos.sim;

import com.google.protobuf.ByteString;
import io.pbft.statemachine.RequestContext;
import io.pbft.statemachine.StateMachine;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Passes everything to the service and remembers each state digest taken. The executor takes a
 * digest exactly at every checkpoint execution, so the simulator pairs them up afterwards and
 * gets the real state digest per checkpoint without calling the service again.
 */
final class DigestRecordingStateMachine implements StateMachine {

    private final StateMachine service;
    private final Queue<ByteString> digestsTaken = new ArrayDeque<>();

    DigestRecordingStateMachine(StateMachine service) {
        this.service = service;
    }

    @Override
    public byte[] execute(byte[] operation) {
        return service.execute(operation);
    }

    @Override
    public byte[] execute(byte[] operation, RequestContext context) {
        return service.execute(operation, context);
    }

    @Override
    public byte[] query(byte[] operation) {
        return service.query(operation);
    }

    @Override
    public byte[] stateDigest() {
        byte[] digest = service.stateDigest();
        digestsTaken.add(ByteString.copyFrom(digest));
        return digest;
    }

    @Override
    public byte[] snapshot() {
        return service.snapshot();
    }

    @Override
    public void restore(byte[] snapshot) {
        service.restore(snapshot);
    }

    /** The oldest digest not yet taken out, or null. */
    ByteString pollDigest() {
        return digestsTaken.poll();
    }
}
