package io.pbft.chaos.behaviour;

import io.pbft.core.Outbound;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.Signed;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.core.message.ViewChange;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica that lies in its view changes, each time in one of these ways, chosen at random: it
 * hides every prepared certificate (a lie by omission, which quorum intersection must survive);
 * it claims only the initial checkpoint (stale); it pads each certificate with copies of one prepare
 * so that the count looks right (forged, to be rejected); or it makes up a certificate for a batch
 * nobody proposed, with a pre-prepare it signed itself in the primary's name (forged too). Every
 * other message it sends as a correct replica would.
 */
final class LieInViewChanges implements Behaviour {

    @Override
    public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
        if (!(outbound.message() instanceof ViewChange honest)) {
            return List.of(outbound);
        }
        ViewChange lie = switch (context.random().nextInt(4)) {
            case 0 -> new ViewChange(honest.newView(), honest.checkpoint(), List.of(), honest.replica());
            case 1 -> new ViewChange(honest.newView(), StableCheckpoint.INITIAL, List.of(), honest.replica());
            case 2 -> new ViewChange(honest.newView(), honest.checkpoint(), padded(honest.prepared()),
                    honest.replica());
            default -> new ViewChange(honest.newView(), honest.checkpoint(), List.of(madeUp(context, honest)),
                    honest.replica());
        };
        return List.of(Outbound.to(outbound.destination(), context.signer().sign(lie)));
    }

    private static List<PreparedCertificate> padded(List<PreparedCertificate> certificates) {
        List<PreparedCertificate> padded = new ArrayList<>();
        for (PreparedCertificate certificate : certificates) {
            Signed<Prepare> one = certificate.prepares().get(0);
            padded.add(new PreparedCertificate(certificate.prePrepare(), List.of(one, one, one)));
        }
        return padded;
    }

    private static PreparedCertificate madeUp(BehaviourContext context, ViewChange honest) {
        long view = Math.max(0, honest.newView() - 1);
        long sequence = honest.checkpoint().sequence() + 1;
        PrePrepare claimed = new PrePrepare(view, sequence, PrePrepare.NULL_BATCH_DIGEST,
                (int) Math.floorMod(view, (long) context.replicaCount()));
        Signed<PrePrepare> forged = new Signed<>(claimed, context.signer().sign(
                new PrePrepare(view, sequence, PrePrepare.NULL_BATCH_DIGEST, context.replica())).envelope());
        Signed<Prepare> own = context.signer().sign(
                new Prepare(view, sequence, PrePrepare.NULL_BATCH_DIGEST, context.replica()));
        return new PreparedCertificate(forged, List.of(own, own));
    }

    @Override
    public String toString() {
        return "lie-in-view-changes";
    }
}
