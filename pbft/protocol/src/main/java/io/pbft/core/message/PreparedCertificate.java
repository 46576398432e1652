package io.pbft.core.message;

import java.util.List;

/**
 * Proof that a batch prepared at a sequence number in a view: the primary's signed pre-prepare and
 * 2f signed prepares from distinct backups, all for the same view, sequence number and digest.
 * What the fields claim is checked by {@link io.pbft.core.CertificateCheck}; that each signature is
 * genuine, by the driver before the core sees it.
 */
public record PreparedCertificate(Signed<PrePrepare> prePrepare, List<Signed<Prepare>> prepares) {

    public PreparedCertificate {
        prepares = List.copyOf(prepares);
    }

    public long view() {
        return prePrepare.message().view();
    }

    public long sequence() {
        return prePrepare.message().sequence();
    }
}
