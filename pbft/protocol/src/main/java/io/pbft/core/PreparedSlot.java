package io.pbft.core;

/**
 * The core's word to its driver that it has prepared {@code sequence} in {@code view}: no further
 * prepare for that slot can change anything here (the prepared certificate is complete), so the
 * driver may drop them without checking their signatures.
 */
public record PreparedSlot(long view, long sequence) {}
