/**
 * The protocol's messages as immutable values, in the vocabulary of the PBFT paper. The core
 * sees only these, already authenticated by its driver; their wire form lives in
 * {@code io.pbft.wire}.
 */
package io.pbft.core.message;
