package io.pbft.examples;

import io.pbft.config.ClusterConfig;
import io.pbft.crypto.KeyFile;
import io.pbft.crypto.SigningKey;
import io.pbft.node.ReplicaNode;
import io.pbft.statemachine.StateMachine;
import io.pbft.statemachine.counter.CounterStateMachine;
import java.nio.file.Path;

/** Replica 0 of the cluster in mycluster/, serving a counter until the process is stopped. */
public final class RunAReplica {

    public static void main(String[] args) throws Exception {
        ClusterConfig config = ClusterConfig.load(Path.of("mycluster/cluster.properties"));
        SigningKey key = KeyFile.read(Path.of("mycluster/keys/replica-0.key")).key();
        StateMachine service = new CounterStateMachine(); // your service here
        ReplicaNode node = ReplicaNode.start(config, 0, key, service);
        // SIGTERM or Ctrl-C closes the replica; the JVM exits once the hook returns.
        Runtime.getRuntime().addShutdownHook(new Thread(node::close));
        node.awaitTermination(); // serves until closed
    }
}
