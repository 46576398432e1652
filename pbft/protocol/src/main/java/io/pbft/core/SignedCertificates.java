package io.pbft.core;

import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.Signed;
import io.pbft.core.message.StableCheckpoint;
import java.util.BitSet;

/**
 * The certificates of the PBFT papers' signature variant: a prepared certificate is the primary's
 * signed pre-prepare and 2f signed matching prepares from distinct backups; a stable checkpoint,
 * 2f + 1 signed matching checkpoints from distinct replicas.
 */
final class SignedCertificates implements CertificateCheck {

    private final ReplicaConfig config;

    SignedCertificates(ReplicaConfig config) {
        this.config = config;
    }

    @Override
    public Rejection checkPrepared(PreparedCertificate certificate) {
        PrePrepare prePrepare = certificate.prePrepare().message();
        if (prePrepare.replica() != config.primaryOf(prePrepare.view())) {
            return Rejection.INVALID_CERTIFICATE;
        }
        BitSet signers = new BitSet(config.replicaCount());
        for (Signed<Prepare> signed : certificate.prepares()) {
            Prepare prepare = signed.message();
            if (prepare.view() != prePrepare.view() || prepare.sequence() != prePrepare.sequence()
                    || !prepare.batchDigest().equals(prePrepare.batchDigest())
                    || !isReplica(prepare.replica()) || prepare.replica() == prePrepare.replica()
                    || signers.get(prepare.replica())) {
                return Rejection.INVALID_CERTIFICATE;
            }
            signers.set(prepare.replica());
        }
        return signers.cardinality() >= 2 * config.f() ? null : Rejection.INVALID_CERTIFICATE;
    }

    @Override
    public Rejection checkStable(StableCheckpoint checkpoint) {
        if (checkpoint.sequence() == 0) {
            return checkpoint.proof().isEmpty() ? null : Rejection.INVALID_CERTIFICATE;
        }
        if (checkpoint.sequence() < 0 || checkpoint.sequence() % config.checkpointInterval() != 0) {
            return Rejection.INVALID_CERTIFICATE;
        }
        BitSet signers = new BitSet(config.replicaCount());
        for (Signed<Checkpoint> signed : checkpoint.proof()) {
            Checkpoint vote = signed.message();
            if (vote.sequence() != checkpoint.sequence() || !vote.stateDigest().equals(checkpoint.stateDigest())
                    || !isReplica(vote.replica()) || signers.get(vote.replica())) {
                return Rejection.INVALID_CERTIFICATE;
            }
            signers.set(vote.replica());
        }
        return signers.cardinality() >= config.quorum() ? null : Rejection.INVALID_CERTIFICATE;
    }

    private boolean isReplica(int id) {
        return id >= 0 && id < config.replicaCount();
    }
}
