package io.pbft.chaos.behaviour;

import com.google.protobuf.ByteString;
import io.pbft.core.Outbound;
import io.pbft.core.message.NewView;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Signed;
import io.pbft.crypto.Digests;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A new primary that announces its view with a re-issued set other than the one its view changes
 * give: a null batch where a batch prepared, a sequence number dropped, or one added; all validly
 * signed. Backups recompute the set, must reject the new view, and move on to the next one.
 */
final class TamperNewView implements Behaviour {

    @Override
    public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
        if (!(outbound.message() instanceof NewView honest)) {
            return List.of(outbound);
        }
        List<Signed<PrePrepare>> reissued = new ArrayList<>(honest.prePrepares());
        int choice = reissued.isEmpty() ? 2 : context.random().nextInt(3);
        if (choice == 0) {
            PrePrepare first = reissued.get(0).message();
            ByteString other = first.batchDigest().equals(PrePrepare.NULL_BATCH_DIGEST)
                    ? ByteString.copyFrom(Digests.sha256("a batch that never prepared".getBytes(StandardCharsets.UTF_8)))
                    : PrePrepare.NULL_BATCH_DIGEST;
            reissued.set(0, context.signer().sign(new PrePrepare(first.view(), first.sequence(), other,
                    first.replica())));
        } else if (choice == 1) {
            reissued.remove(reissued.size() - 1);
        } else {
            long next = reissued.isEmpty() ? 1 : reissued.get(reissued.size() - 1).message().sequence() + 1;
            reissued.add(context.signer().sign(
                    new PrePrepare(honest.view(), next, PrePrepare.NULL_BATCH_DIGEST, honest.replica())));
        }
        NewView lie = new NewView(honest.view(), honest.viewChanges(), reissued, honest.replica());
        return List.of(Outbound.to(outbound.destination(), context.signer().sign(lie)));
    }

    @Override
    public String toString() {
        return "tamper-new-view";
    }
}
