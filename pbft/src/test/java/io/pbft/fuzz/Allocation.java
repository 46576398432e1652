package io.pbft.fuzz;

import java.lang.management.ManagementFactory;

/**
 * What a decoder allocates on the calling thread, for the property that nothing allocates in
 * proportion to a length it has not checked: a frame that claims a huge length must not cost
 * more than its own size allows. Counted by the JVM per thread, so the figure does not depend on
 * timing or on other threads.
 */
public final class Allocation {

    /** Room for class loading, a signature check and logging, whatever the input's size. */
    public static final long FIXED_BYTES = 16L * 1024 * 1024;
    /** What each input byte may cost: parsed once or twice, copied a few times. */
    public static final long BYTES_PER_INPUT_BYTE = 64;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocation() {}

    /** Bytes allocated so far by the calling thread. */
    public static long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** The most a decoder may allocate for an input of {@code inputBytes}. */
    public static long budgetFor(int inputBytes) {
        return FIXED_BYTES + BYTES_PER_INPUT_BYTE * inputBytes;
    }
}
