package io.pbft.core;

/**
 * What must hold after every input, whatever peers send, as long as at most f of them are faulty.
 * Checked after each input when {@link ReplicaConfig#checkInvariants()} is on (always in the tests
 * and the simulator): a violation is a bug of this replica, or proof that more than f replicas are
 * faulty, and it throws, so the simulator stops at the step that broke it. Messages are built only
 * on failure: the checks run millions of times in a simulation sweep.
 */
final class Invariants {

    private final ReplicaState state;
    private final NormalCase normalCase;
    private final ExecutionOrder executionOrder;
    private long previousView;
    private long previousLowWatermark;
    private long previousLastExecuted;

    Invariants(ReplicaState state, NormalCase normalCase, ExecutionOrder executionOrder) {
        this.state = state;
        this.normalCase = normalCase;
        this.executionOrder = executionOrder;
    }

    void check(boolean hasNewView) {
        if (state.view < previousView) {
            fail("the view went back from " + previousView + " to " + state.view);
        }
        if (state.lowWatermark < previousLowWatermark) {
            fail("the low watermark went back from " + previousLowWatermark + " to " + state.lowWatermark);
        }
        if (state.lastExecuted < previousLastExecuted) {
            fail("last executed went back from " + previousLastExecuted + " to " + state.lastExecuted);
        }
        if (state.lastExecuted > executionOrder.lastDispatched()) {
            fail("executed " + state.lastExecuted + " beyond what was dispatched, " + executionOrder.lastDispatched());
        }
        if (state.active && state.view != 0 && !hasNewView) {
            fail("working in view " + state.view + " without its new view");
        }
        long low = state.lowWatermark - state.config.windowSize();
        long high = state.lowWatermark + state.config.windowSize();
        for (Slot slot : normalCase.slots()) {
            // A batch restored from this replica's own log executes again from its snapshot on, which
            // may lie below the window.
            if ((slot.sequence <= low && !slot.committedBeforeRestart) || slot.sequence > high) {
                fail("slot " + slot.sequence + " outside the log's range (" + low + ", " + high + "]");
            }
            if (slot.view > state.view) {
                fail("slot " + slot.sequence + " in view " + slot.view + " above " + state.view);
            }
            checkSlot(slot);
        }
        previousView = state.view;
        previousLowWatermark = state.lowWatermark;
        previousLastExecuted = state.lastExecuted;
    }

    /** A divergent state was replaced by the certified one at {@code sequence}: execution starts again there. */
    void wentBackTo(long sequence) {
        previousLastExecuted = sequence;
    }

    private static void checkSlot(Slot slot) {
        if (slot.prepared && (slot.prePrepare == null || slot.preparedCertificate == null
                || slot.preparedCertificate.view() != slot.view
                || !slot.preparedCertificate.prePrepare().message().batchDigest().equals(slot.digest()))) {
            fail("slot " + slot.sequence + " prepared in view " + slot.view + " without its certificate");
        }
        // Agreement: once a batch committed at a sequence number, no later view prepares another one
        // there. (An earlier view may have prepared one that never committed: that one is dropped.)
        if (slot.prepared && slot.committedLocal() && slot.committedView >= 0 && slot.view >= slot.committedView
                && !slot.committedDigest.equals(slot.digest())) {
            fail("slot " + slot.sequence + " committed one batch and prepared another in view " + slot.view);
        }
        if (slot.committedLocal() && slot.preparedCertificate == null && !slot.committedBeforeRestart
                && slot.attestationsFor(slot.committedDigest) == 0) {
            fail("slot " + slot.sequence + " committed without preparing or being told by peers that it committed");
        }
    }

    private static void fail(String violation) {
        throw new IllegalStateException("invariant violated: " + violation);
    }
}
