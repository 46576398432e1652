package io.pbft.storage;

import java.util.Locale;

/**
 * A segment file as the log remembers it, without its records: enough to name it and to know
 * whether {@link WriteAheadLog#truncateBefore} may delete it. Its name is its first record's
 * index, zero-padded, so that names sort as the segments follow each other.
 *
 * @param maxSequence the highest sequence of its records; {@code Long.MIN_VALUE} while empty
 */
record Segment(String name, long firstIndex, long maxSequence) {

    private static final String SUFFIX = ".wal";
    private static final int DIGITS = 20;

    static Segment empty(long firstIndex) {
        return new Segment(nameOf(firstIndex), firstIndex, Long.MIN_VALUE);
    }

    static String nameOf(long firstIndex) {
        return String.format(Locale.ROOT, "%0" + DIGITS + "d" + SUFFIX, firstIndex);
    }

    /** The first index a segment's file name carries, or -1 for any other file. */
    static long firstIndexOf(String name) {
        if (name.length() != DIGITS + SUFFIX.length() || !name.endsWith(SUFFIX)) {
            return -1;
        }
        String digits = name.substring(0, DIGITS);
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException beyondLong) {
            return -1;
        }
    }
}
