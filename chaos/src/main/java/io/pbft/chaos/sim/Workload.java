package io.pbft.chaos.sim;

import com.google.protobuf.ByteString;
import io.pbft.chaos.check.Checker;
import io.pbft.chaos.check.Checkers;
import io.pbft.statemachine.StateMachine;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * What a simulation runs besides the protocol: the replicated service, the operations its clients
 * send, and the checkers that judge the run. {@link KvWorkload} runs the key-value store; a
 * service author writes one for their own service, with the invariants it must keep.
 *
 * <p>Everything here must be deterministic given the {@link Random} the simulator passes: a run is
 * replayed from its seed alone.
 */
public interface Workload {

    /** A fresh, empty copy of the service: each replica's, and the checkers' sequential model. */
    StateMachine newService();

    /** The stream of operations of the client with id {@code clientId}; called once per client. */
    ClientOperations client(long clientId);

    /**
     * The checkers the run is judged by. By default the standard ones ({@link Checkers#all}), whose
     * linearizability and state checks replay the agreed order on {@link #newService()}; a workload
     * adds the invariants of its own service.
     */
    default List<Checker> checkers() {
        return Checkers.all(this::newService);
    }

    /** One client's operations, in a closed loop: the next one is asked for after the last result. */
    interface ClientOperations {

        /**
         * The next operation to send.
         *
         * @param random the run's source of randomness, the only one the workload may draw from
         * @param timestamp the request's timestamp, unique per client, for values unique in the run
         */
        Operation next(Random random, long timestamp);

        /** The result f + 1 replicas agreed on for {@code operation}, the last one {@link #next} gave. */
        void onResult(Operation operation, ByteString result);
    }

    /**
     * An operation as sent, and how to describe it in a history and in violations.
     *
     * @param description the operation in words ({@code put k1=c101-t3}, {@code transfer 5 a->b})
     * @param bytes what the service executes
     * @param readOnly whether it leaves the service's state as it is, so that the client sends it
     *     read-only: answered by each replica's {@code query} without ordering, and ordered only
     *     when 2f + 1 replicas do not answer alike
     */
    record Operation(String description, ByteString bytes, boolean readOnly) {
        public Operation {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(bytes, "bytes");
        }

        /** An operation that may change the state: always ordered. */
        public Operation(String description, ByteString bytes) {
            this(description, bytes, false);
        }
    }
}
