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
 *       pre-prepare, every request in the batch must carry a well-formed authenticator, key and
 *       signature, and is authentic if its MAC for this replica verifies or else its client's
 *       signature does (see below). A forwarded request must carry a valid client signature. The
 *       core then checks views, windows, the sender named inside the message, and digests. A frame whose first byte is that of the envelope's
 *       {@code presence} field is no protocol message: it goes to the
 *       {@link io.pbft.node.IdentityWatch}, which checks its signature and reports (ERROR, once a
 *       minute, counted as {@code duplicate_identity}) a second process running with this
 *       replica's id and key.
 *   <li>Client port: a signed X25519 handshake on every connection gives a session key and the
 *       client id (a hash of the client's identity key). A request must come after the handshake,
 *       name the connection's client id, and carry an authenticator of exactly one entry per
 *       replica (each a 16-byte MAC or empty, so no junk rides along in pre-prepares) whose entry
 *       for this replica is a valid MAC over the request digest, and then a valid Ed25519
 *       signature by the client's key, which it carries (its hash must be the client id). Status
 *       queries need no handshake (their answer is not authenticated). A connection is read no
 *       faster than the primary proposes its client's requests: after
 *       {@code ClientPort.FRAMES_PER_RESUME} frames it is paused until the next drain of waiting
 *       requests into the core and until none of its client's requests waits for a sequence
 *       number (nor, while other clients are served, is in flight; and one that had more than one
 *       request there beside other clients' until {@code PausedClients.SPACING} more sequence numbers
 *       executed), so a flood waits in the flooder's socket instead of costing the I/O thread a
 *       parse, a MAC and a signature check per frame ({@code client_reads_paused},
 *       {@code client_reads_resumed}).
 *   <li>Replies are MAC'd with the session key of the client's latest connection; a client
 *       without an open connection misses the reply, retransmits, and gets the cached one.
 *   <li>Fault-control port, only with {@code replica --fault-control}, for tests: bound to the
 *       loopback address, unauthenticated, it takes text commands ({@link io.pbft.node.FaultControl})
 *       that make the replica drop, delay or withhold what it sends to chosen peers
 *       ({@link io.pbft.node.LinkFaults}). Without the flag neither exists.
 * </ul>
 *
 * Every failed check drops the input and counts it in {@link io.pbft.node.NodeMetrics} by
 * {@link io.pbft.node.DropReason}; nothing a peer or client sends can throw out of a network
 * callback or stop the replica.
 *
 * <h2>Authenticators: MACs, with a signature to fall back on</h2>
 *
 * A client request carries both a MAC authenticator (one HMAC per replica, as in the PBFT paper)
 * and the client's Ed25519 signature of the request digest, with its public key. MACs alone let
 * a faulty client halt the cluster (issue 10): an entry valid for the primary and bad for two
 * backups made those backups refuse the pre-prepare, the batch could not prepare, and since
 * execution is in order every later batch waited behind it until a view change; fresh identities
 * could repeat it forever, and a backup that had evicted an honest client's session stalled the
 * same way. The fix rests on one property: a MAC is valid for some replicas and not others at the
 * client's will, a signature is valid for all or for none.
 *
 * <ul>
 *   <li>Every replica checks the signature of every request that reaches its client port (after
 *       the MAC, which is cheap and stops junk first) and of every request forwarded to it,
 *       before the core sees it; a bad one is dropped ({@link io.pbft.driver.DropReason#BAD_REQUEST_SIGNATURE}).
 *       So a primary proposes only signed requests, and a backup never awaits a request the
 *       primary will refuse.
 *   <li>A backup authenticates each request of a pre-prepare by its own MAC entry (about 1 us)
 *       and, only when that fails or it has no session with the client, by the signature.
 * </ul>
 *
 * Hence with an honest primary every honest backup authenticates every proposed request, and
 * the batch prepares: no client can stall the cluster, and session eviction cannot strand a
 * request in a pre-prepare. Only a faulty primary can propose a request that backups cannot
 * authenticate; the core holds such a batch until 2f other backups vouch for it, and the view
 * change that follows replaces that primary, which fresh client identities cannot repeat.
 *
 * <p>The cost: the client signs each request once (about 30 us; retransmissions reuse it), and
 * each replica that receives a request from its client verifies it once (about 70 us on the I/O
 * threads, in parallel; {@link io.pbft.driver.VerifiedSignatures} remembers what verified, so a
 * retransmission, a forwarded copy or the same request in a pre-prepare is not verified again).
 * In the normal case only the primary receives requests, so the backups pay nothing more than
 * before; 96 bytes more per request travel in each pre-prepare. Measured in
 * {@code bench/results/client-signatures-*.md}.
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
