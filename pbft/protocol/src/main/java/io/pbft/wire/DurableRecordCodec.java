package io.pbft.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pbft.core.DurableRecord;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.NewView;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.core.message.ViewChange;
import io.pbft.wire.proto.LoggedBatch;
import io.pbft.wire.proto.LoggedPrePrepare;
import io.pbft.wire.proto.StableProof;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DurableRecord} as the payload of a write-ahead log record ({@code durable.proto}). Signed
 * messages are kept as their envelopes; reading them back opens each envelope again, signature
 * checked, so a record that decodes is a record the core can trust as it trusted it when it was made.
 */
public final class DurableRecordCodec {

    private DurableRecordCodec() {}

    public static byte[] encode(DurableRecord record) {
        var builder = io.pbft.wire.proto.DurableRecord.newBuilder().setSequence(record.sequence());
        if (record instanceof DurableRecord.PrePrepared r) {
            var logged = LoggedPrePrepare.newBuilder().setPrePrepare(r.prePrepare().envelope())
                    .setHasBatch(r.batch() != null);
            if (r.batch() != null) {
                r.batch().forEach(request -> logged.addBatch(WireCodec.encode(request)));
            }
            builder.setPrePrepared(logged);
        } else if (record instanceof DurableRecord.Prepared r) {
            builder.setPrepared(WireCodec.encode(r.certificate()));
        } else if (record instanceof DurableRecord.ViewChangeSent r) {
            builder.setViewChange(r.viewChange().envelope());
        } else if (record instanceof DurableRecord.NewViewEntered r) {
            builder.setNewView(r.newView().envelope());
        } else if (record instanceof DurableRecord.Committed r) {
            var committed = LoggedBatch.newBuilder().setBatchDigest(r.batchDigest())
                    .setTimestampMillis(r.timestampMillis());
            r.batch().forEach(request -> committed.addBatch(WireCodec.encode(request)));
            builder.setCommitted(committed);
        } else if (record instanceof DurableRecord.Stable r) {
            var stable = StableProof.newBuilder().setSequence(r.checkpoint().sequence())
                    .setStateDigest(r.checkpoint().stateDigest());
            r.checkpoint().proof().forEach(signed -> stable.addProof(signed.envelope()));
            builder.setStable(stable);
        }
        return builder.build().toByteArray();
    }

    /**
     * Decodes a record {@link #encode} made, opening its envelopes with {@code opener}.
     *
     * @throws MalformedMessageException if the bytes are not such a record or a signature fails:
     *     the log's checksum passed, so the record was written so, by another version or by hand
     */
    public static DurableRecord decode(byte[] payload, SignedOpener opener) throws MalformedMessageException {
        io.pbft.wire.proto.DurableRecord record;
        try {
            record = io.pbft.wire.proto.DurableRecord.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedMessageException("a log record does not parse: " + e.getMessage());
        }
        long sequence = WireCodec.counter("sequence", record.getSequence());
        switch (record.getKindCase()) {
            case PRE_PREPARED: {
                LoggedPrePrepare logged = record.getPrePrepared();
                Signed<PrePrepare> prePrepare = opener.open(logged.getPrePrepare(), PrePrepare.class);
                List<Request> batch = logged.getHasBatch() ? WireCodec.decodeBatch(logged.getBatchList()) : null;
                return new DurableRecord.PrePrepared(prePrepare, batch);
            }
            case PREPARED:
                return new DurableRecord.Prepared(WireCodec.decode(record.getPrepared(), opener));
            case VIEW_CHANGE:
                return new DurableRecord.ViewChangeSent(opener.open(record.getViewChange(), ViewChange.class), sequence);
            case NEW_VIEW:
                return new DurableRecord.NewViewEntered(opener.open(record.getNewView(), NewView.class), sequence);
            case STABLE: {
                StableProof stable = record.getStable();
                List<Signed<Checkpoint>> proof = new ArrayList<>(stable.getProofCount());
                for (ByteString envelope : stable.getProofList()) {
                    proof.add(opener.open(envelope, Checkpoint.class));
                }
                return new DurableRecord.Stable(new StableCheckpoint(WireCodec.counter("sequence", stable.getSequence()),
                        WireCodec.digest("state_digest", stable.getStateDigest()), proof));
            }
            case COMMITTED: {
                LoggedBatch committed = record.getCommitted();
                return new DurableRecord.Committed(sequence, WireCodec.digest("batch_digest", committed.getBatchDigest()),
                        WireCodec.decodeBatch(committed.getBatchList()), committed.getTimestampMillis());
            }
            default:
                throw new MalformedMessageException("a log record of unknown kind " + record.getKindCase());
        }
    }
}
