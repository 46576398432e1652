/**
 * The wire format (protobuf, {@code src/main/proto/pbft.proto}) and its mapping to the core's
 * message records. Every conversion from bytes validates what the core relies on and throws
 * {@link io.pbft.wire.MalformedMessageException} instead of passing on nonsense.
 */
package io.pbft.wire;
