package io.pbft.node;

import io.pbft.core.MessageSigner;
import io.pbft.driver.OutboundFilter;

/**
 * Ways to make a live replica misbehave on purpose, for adversarial tests of a real cluster
 * ({@code scripts/pbft replica --misbehave SPEC}, {@code scripts/cluster.sh start --byzantine
 * ID=SPEC}): found through {@link java.util.ServiceLoader}, so that the library itself holds no
 * Byzantine code; the chaos module provides its catalogue of behaviours, the same classes the
 * simulator runs.
 */
public interface Misbehaviour {

    /**
     * Whether this provider makes {@code spec}.
     *
     * @throws IllegalArgumentException if it knows the spec's name but the spec is malformed, or
     *     cannot run in a live replica (a message says why)
     */
    boolean knows(String spec);

    /**
     * The filter that makes replica {@code replica} of {@code replicaCount} behave as {@code spec}
     * says (one this provider {@link #knows}), signing what it alters with {@code signer}.
     */
    OutboundFilter filter(String spec, int replica, int replicaCount, MessageSigner signer);

    /** The specs it knows, for help and error messages. */
    String known();
}
