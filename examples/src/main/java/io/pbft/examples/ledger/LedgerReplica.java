package io.pbft.examples.ledger;

import io.pbft.node.ReplicaMain;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one replica of a ledger cluster: {@code pbft replica} with {@code --service} set to {@link
 * LedgerStateMachine}, so it takes the same options ({@code --config}, {@code --id}, {@code --key},
 * {@code --data-dir}) and stops the same way (SIGTERM). For a service of one's own this is the
 * whole launcher; {@code scripts/pbft replica --service CLASS} with {@code PBFT_CLASSPATH} naming
 * the service's jar does the same without one.
 */
public final class LedgerReplica {

    private LedgerReplica() {}

    public static void main(String[] args) {
        List<String> command = new ArrayList<>(List.of("--service", LedgerStateMachine.class.getName()));
        command.addAll(List.of(args));
        ReplicaMain.main(command.toArray(String[]::new));
    }
}
