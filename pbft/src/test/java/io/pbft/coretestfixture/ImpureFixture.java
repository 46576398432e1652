package io.pbft.coretestfixture;

import com.google.protobuf.ByteString;
import io.pbft.core.Rejection;
import io.pbft.crypto.Digests;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;

/**
 * Code that breaks the core's purity rule on purpose, one way per method, for
 * {@code io.pbft.core.CorePurityRuleTest}; and one method that uses only what the core may, which
 * the rule must let pass. Outside {@code io.pbft.core..} so that nothing imports it as core code.
 * Never called.
 */
public final class ImpureFixture {

    private ImpureFixture() {}

    static String iteratesASetOf() {
        StringBuilder order = new StringBuilder();
        for (String name : Set.of("a", "b", "c")) {
            order.append(name);
        }
        return order.toString();
    }

    static List<Integer> iteratesAMapOf() {
        return new ArrayList<>(Map.of(1, "a", 2, "b", 3, "c").keySet());
    }

    static double drawsARandomNumber() {
        return Math.random();
    }

    static DoubleSupplier refersToARandomNumber() {
        return Math::random;
    }

    static void shufflesAList(List<String> names) {
        Collections.shuffle(names);
    }

    static String readsTheEnvironment() {
        return System.getenv("HOME");
    }

    static String readsASystemProperty() {
        return System.getProperty("user.name");
    }

    static Long readsASystemPropertyThroughLong() {
        return Long.getLong("pbft.window");
    }

    static long readsTheClock() {
        return System.currentTimeMillis();
    }

    static Object readsTheLocalTime() {
        return LocalDateTime.now();
    }

    static int readsAnIdentityHashCode(Object object) {
        return System.identityHashCode(object);
    }

    static int hashesAnObjectWithoutItsOwnHashCode() {
        return new StringBuilder().hashCode(); // javac names Object.hashCode: StringBuilder has none
    }

    static String printsAnObjectWithoutItsOwnToString() {
        return new Object().toString();
    }

    static int hashesAnEnum(Rejection reason) {
        return reason.hashCode();
    }

    static String printsAByteString(ByteString bytes) {
        return bytes.toString();
    }

    static int fillsAHashMap() {
        HashMap<String, Integer> counts = new HashMap<>();
        counts.put("a", 1);
        return counts.size();
    }

    static String namesTheCurrentThread() {
        return Thread.currentThread().getName();
    }

    static void sortsInParallel(long[] values) {
        Arrays.parallelSort(values);
    }

    static List<String> streamsInParallel(List<String> names) {
        return names.parallelStream().toList();
    }

    static String formatsInTheDefaultLocale(double value) {
        return String.format("%.2f", value);
    }

    static String usesOnlyWhatTheCoreMay(List<Long> sequences, Rejection reason) {
        TreeMap<Long, String> bySequence = new TreeMap<>();
        for (long sequence : List.of(3L, 1L, 2L)) {
            bySequence.computeIfAbsent(sequence, key -> "s" + key);
        }
        long[] copy = new long[sequences.size()];
        System.arraycopy(new long[copy.length], 0, copy, 0, copy.length);
        Map<Rejection, Long> counts = new EnumMap<>(Rejection.class);
        counts.put(reason, (long) Math.max(copy.length, 1));
        byte[] digest = Digests.sha256(ByteString.copyFromUtf8("x").toByteArray());
        String kind;
        switch (reason) {
            case WRONG_VIEW:
                kind = "view";
                break;
            default:
                kind = "other";
        }
        return kind + bySequence.values().stream().limit(2).toList() + counts.size() + digest.length
                + sequences.stream().filter(sequence -> sequence > 0).count();
    }
}
