/**
 * The replica node: the runtime that drives the pure protocol core ({@link io.pbft.core.Replica})
 * with real sockets, real time and a real state machine. {@link io.pbft.node.ReplicaNode} is the
 * library entry point; {@link io.pbft.node.ReplicaCommand} (and {@link io.pbft.node.ReplicaMain})
 * the command line.
 *
 * <h2>Threads</h2>
 *
 * <ul>
 *   <li>Netty I/O threads ({@code pbft-transport-io-*}) parse and authenticate every inbound
 *       frame, in parallel: Ed25519 signatures of replica messages (about 60 us each), MACs of
 *       the other replica messages and of client requests, client handshakes.
 *   <li>One core thread ({@code pbft-core-<id>}) owns the core and the state machine. Each input
 *       is applied with the current monotonic time; its effects are carried out in order:
 *       executions (through {@link io.pbft.execution.StateMachineExecutor}), then messages
 *       (signed once each, or MAC'd per destination; see below), then replies.
 *       One tick is kept pending at the earliest wake-up the core asked for, and at most a
 *       status interval away. Its input queue is bounded; beyond it inputs are dropped.
 * </ul>
 *
 * <h2>What is checked where</h2>
 *
 * <ul>
 *   <li>Replica port: a frame must parse as a {@code ReplicaEnvelope} from a sender in [0, n)
 *       other than this replica, whose signature (under the configured key) or MAC (under the key
 *       the two replicas share, {@link io.pbft.crypto.PairwiseKeys}) verifies over the exact
 *       payload bytes, and the payload must decode ({@link io.pbft.wire.WireCodec}). A message
 *       that can enter a certificate must be signed
 *       ({@link io.pbft.core.message.ReplicaMessage#entersCertificates()}). For a
 *       pre-prepare, every request in the batch must carry a well-formed authenticator and a valid
 *       MAC for this replica from its client. The core then checks views, windows, the sender
 *       named inside the message, and digests. A frame whose first byte is that of the envelope's
 *       {@code presence} field is no protocol message: it goes to the
 *       {@link io.pbft.node.IdentityWatch}, which checks its signature and reports (ERROR, once a
 *       minute, counted as {@code duplicate_identity}) a second process running with this
 *       replica's id and key.
 *   <li>Client port: a signed X25519 handshake on every connection gives a session key and the
 *       client id (a hash of the client's identity key). A request must come after the handshake,
 *       name the connection's client id, and carry an authenticator of exactly one entry per
 *       replica (each a 16-byte MAC or empty, so no junk rides along in pre-prepares) whose entry
 *       for this replica is a valid MAC over the request digest. Status queries need no
 *       handshake (their answer is not authenticated).
 *   <li>Replies are MAC'd with the session key of the client's latest connection; a client
 *       without an open connection misses the reply, retransmits, and gets the cached one.
 * </ul>
 *
 * Every failed check drops the input and counts it in {@link io.pbft.node.NodeMetrics} by
 * {@link io.pbft.node.DropReason}; nothing a peer or client sends can throw out of a network
 * callback or stop the replica.
 *
 * <h2>Authenticators: the trade-off of MACs</h2>
 *
 * Client requests carry MAC authenticators (one HMAC per replica) rather than signatures, as in
 * the PBFT paper: a MAC costs about 1 us where an Ed25519 verification costs about 70 us per
 * request per replica. The price is that a backup cannot prove to others that a request is
 * forged: a faulty client can send a request whose entry is valid for the primary and bad for
 * some backups. Those backups drop the whole pre-prepare holding it, and if they are more than f
 * the batch cannot prepare, and since execution is in sequence order every later batch waits
 * behind it: the cluster stalls until the backups' timers replace the primary by a view change
 * (and such a client can force one view change after another: a later issue closes that). This
 * is the known cost of MAC
 * authenticators versus signatures that the PBFT papers (Castro and Liskov, OSDI 1999 and TOCS
 * 2002) accept for their speed.
 *
 * <h2>Signatures and MACs between replicas</h2>
 *
 * Pre-prepares, prepares, checkpoints, view changes and new views are signed: a view change
 * carries them as proof to replicas that did not receive them, and a MAC convinces only its
 * receiver. The checks themselves live in {@link io.pbft.driver}, which the simulator runs too. Commits and status
 * messages never leave their receiver, so they carry a MAC under a key derived from the two
 * replicas' identity keys. A signature costs about 27 us to make and 60 us to check; in a
 * profile of a 4-replica cluster under load, checking signatures was more than half of every
 * replica's CPU before commits moved to MACs.
 *
 * <h2>What may not live here</h2>
 *
 * Protocol decisions (they belong to the core), Netty types (the transport hides them), and
 * anything a simulator would need to copy: the node only carries effects out.
 */
package io.pbft.node;
