package io.pbft.chaos.sim;

import io.pbft.crypto.Digests;
import io.pbft.statemachine.StateMachine;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** The smallest service: appends each operation to a log and answers with the log's length. */
class AppendLogStateMachine implements StateMachine {

    private final List<byte[]> log = new ArrayList<>();

    @Override
    public byte[] execute(byte[] operation) {
        log.add(operation.clone());
        return ByteBuffer.allocate(Integer.BYTES).putInt(log.size()).array();
    }

    @Override
    public byte[] query(byte[] operation) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(log.size()).array();
    }

    @Override
    public byte[] stateDigest() {
        return Digests.sha256(log.toArray(new byte[0][]));
    }

    @Override
    public byte[] snapshot() {
        throw new UnsupportedOperationException("not needed without state transfer");
    }

    @Override
    public void restore(byte[] snapshot) {
        throw new UnsupportedOperationException("not needed without state transfer");
    }
}
