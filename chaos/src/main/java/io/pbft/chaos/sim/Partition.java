package io.pbft.chaos.sim;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * From {@code fromMillis} until {@code untilMillis} the replicas of {@code side} and the other
 * replicas do not hear each other: both ways, or with {@code oneWay} only what {@code side} sends to
 * the others is lost (they hear the others, the others do not hear them: an asymmetric link, a
 * firewall rule gone wrong). A message is lost if the partition is in force when it is sent or when
 * it would arrive. Clients reach every replica throughout: a partition splits the replicas'
 * network, and what a client sees of it is what the replicas make of it.
 */
public record Partition(SortedSet<Integer> side, long fromMillis, long untilMillis, boolean oneWay) {

    private static final String ONE_WAY = ":one-way";

    public Partition {
        side = Collections.unmodifiableSortedSet(new TreeSet<>(side));
        if (side.isEmpty()) {
            throw new IllegalArgumentException("a partition needs at least one replica on its side");
        }
        if (fromMillis < 0 || untilMillis < fromMillis) {
            throw new IllegalArgumentException("a partition must satisfy 0 <= from <= until, was " + fromMillis + ".."
                    + untilMillis + " ms");
        }
    }

    /** Whether a message from replica {@code from} to replica {@code to} is lost at {@code nowMillis}. */
    boolean blocks(int from, int to, long nowMillis) {
        if (nowMillis < fromMillis || nowMillis >= untilMillis || from < 0 || to < 0) {
            return false;
        }
        boolean fromSide = side.contains(from);
        boolean toSide = side.contains(to);
        return oneWay ? fromSide && !toSide : fromSide != toSide;
    }

    /** The command-line form, {@code R[,R...]@FROM-UNTIL[:one-way]}. */
    @Override
    public String toString() {
        return side.stream().map(String::valueOf).collect(Collectors.joining(",")) + "@" + fromMillis + "-"
                + untilMillis + (oneWay ? ONE_WAY : "");
    }

    /** Parses the command-line form {@code R[,R...]@FROM-UNTIL[:one-way]}, e.g. {@code 0,1@500-3000}. */
    public static Partition parse(String text) {
        String expected = "a partition is R[,R...]@FROM-UNTIL[:one-way] (ms), as in 0,1@500-3000 or 0@500-3000:one-way,"
                + " not '" + text + "'";
        String body = text.trim();
        boolean oneWay = body.endsWith(ONE_WAY);
        if (oneWay) {
            body = body.substring(0, body.length() - ONE_WAY.length());
        }
        int at = body.indexOf('@');
        int dash = body.indexOf('-', at + 1);
        if (at < 1 || dash < 0) {
            throw new IllegalArgumentException(expected);
        }
        try {
            Set<Integer> side = new TreeSet<>();
            for (String replica : body.substring(0, at).split(",")) {
                side.add(Integer.parseInt(replica.trim()));
            }
            return new Partition(new TreeSet<>(side), Long.parseLong(body.substring(at + 1, dash).trim()),
                    Long.parseLong(body.substring(dash + 1).trim()), oneWay);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(expected, e);
        }
    }
}
