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

    /** Each operation as its length and bytes. */
    @Override
    public byte[] snapshot() {
        int bytes = 0;
        for (byte[] operation : log) {
            bytes += Integer.BYTES + operation.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        log.forEach(operation -> buffer.putInt(operation.length).put(operation));
        return buffer.array();
    }

    @Override
    public void restore(byte[] snapshot) {
        List<byte[]> restored = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(snapshot);
        while (buffer.hasRemaining()) {
            if (buffer.remaining() < Integer.BYTES) {
                throw new IllegalArgumentException("snapshot ends inside a length");
            }
            int length = buffer.getInt();
            if (length < 0 || length > buffer.remaining()) {
                throw new IllegalArgumentException("snapshot entry of " + length + " bytes");
            }
            byte[] operation = new byte[length];
            buffer.get(operation);
            restored.add(operation);
        }
        log.clear();
        log.addAll(restored);
    }
}
