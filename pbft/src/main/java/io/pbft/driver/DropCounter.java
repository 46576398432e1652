package io.pbft.driver;

/** Where a driver counts what it dropped before the core saw it. Called from any thread. */
public interface DropCounter {

    void drop(DropReason reason);

    /** A prepare for a slot the core reported prepared, dropped without checking its signature. */
    void redundantPrepare();

    /**
     * A pre-prepare with a request whose MAC entry and signature both failed here (a faulty primary
     * proposed it, in this view or an earlier one): the core holds it until vouched for.
     */
    void unverifiedPrePrepare();
}
