package io.pbft.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rule that keeps the protocol core pure and deterministic, written once and applied both to
 * the core ({@link CorePurityTest}) and to a fixture that breaks it on purpose
 * ({@link CorePurityRuleTest}), so that a rule that can no longer fail is noticed.
 *
 * <p>It has two halves:
 * <ol>
 *   <li><b>An allowlist of dependencies.</b> A class may depend on its own package, on
 *       {@code io.pbft.core..}, on the classes in {@link #ALLOWED_CLASSES} and on the packages in
 *       {@link #ALLOWED_PACKAGES}; nothing else. Arrays count as their element type, primitives are
 *       always allowed. Netty, BouncyCastle, {@code java.io}, {@code java.net}, SLF4J, threads,
 *       clocks, random sources, {@code HashMap} and the node, wire and transport packages are out
 *       because they are not in; {@link CorePurityTest} also checks that the list never lets them in.
 *   <li><b>A denylist of calls</b> ({@link #FORBIDDEN_CALLS}) that break determinism even on an
 *       allowed class: {@code Math.random}, everything on {@code System} but {@code arraycopy},
 *       {@code Set.of}/{@code Map.of} (iteration order salted per JVM), identity hash codes and
 *       identity {@code toString}, parallel streams, the default locale and charset. A call matches
 *       on the class named in the bytecode or on the class that declares the method it resolves to,
 *       so {@code anEnum.hashCode()}, which the bytecode names on the enum but which runs
 *       {@code Enum.hashCode}, is caught.
 * </ol>
 *
 * <p><b>Extending the allowlist.</b> When the core needs a JDK or library class that is not listed,
 * add its fully qualified name (nested classes with {@code $}, e.g. {@code java.util.Map$Entry}) to
 * {@link #ALLOWED_CLASSES}, in its group, after asking: is every method on it a pure function of its
 * arguments and receiver, with no clock, randomness, environment, threads, I/O, default locale or
 * charset, or hash-ordered iteration? If only some methods are, add the others to
 * {@link #FORBIDDEN_CALLS} in the same change. Examples: {@code java.util.Collectors} is not listed
 * because {@code toSet}, {@code toMap} and {@code groupingBy} collect into hash-ordered collections;
 * {@code assert} needs {@code java.lang.Class.desiredAssertionStatus} and {@code AssertionError}, and
 * behaves differently with and without {@code -ea}: prefer an explicit check that throws.
 *
 * <p><b>What it cannot see.</b> Calls that reach {@code Object.hashCode} or {@code toString}
 * virtually through the JDK: {@code Objects.hash(x)}, {@code String.valueOf(x)}, {@code "" + x}, a
 * record's generated {@code hashCode}/{@code toString} over an enum or a {@code ByteString}
 * component (ByteString's {@code toString} prints its identity hash). Keep such values out of
 * anything the core returns; iterate only over ordered collections.
 */
final class CorePurityRule {

    /** The core's root package: it and its subpackages may use each other freely. */
    static final String CORE_PACKAGE = "io.pbft.core";

    /**
     * The classes outside the core that the core may use, by fully qualified name. Derived from
     * what the core used when the rule was written, plus the ordinary ordered collections that new
     * core code is expected to need.
     */
    static final Set<String> ALLOWED_CLASSES = new TreeSet<>(List.of(
            // The language: every class extends Object; records and enums extend these.
            "java.lang.Object",
            "java.lang.Record",
            "java.lang.Enum",
            "java.lang.Comparable",
            "java.lang.Iterable",
            "java.lang.String",
            "java.lang.StringBuilder",
            "java.lang.Boolean",
            "java.lang.Integer",
            "java.lang.Long",
            // Integer arithmetic (max, min, floorMod); random() is forbidden below.
            "java.lang.Math",
            // For arraycopy only: every other member is forbidden below.
            "java.lang.System",
            // The exceptions the core throws on bad arguments and on its own programming errors.
            "java.lang.IllegalArgumentException",
            "java.lang.IllegalStateException",
            // A heap buffer to lay out bytes for a digest.
            "java.nio.ByteBuffer",
            // Collections whose iteration order is defined: by key, by insertion, by index or by
            // ordinal. Hash-ordered ones (HashMap, HashSet, Hashtable, WeakHashMap,
            // IdentityHashMap) are not here on purpose. The interfaces are listed so that code can
            // be written against them: the order comes from the implementation created, and a
            // hash-ordered one cannot be created here (Set.of and Map.of are forbidden below).
            "java.util.Collection",
            "java.util.List",
            "java.util.Set",
            "java.util.Map",
            "java.util.Map$Entry",
            "java.util.Queue",
            "java.util.Deque",
            "java.util.Iterator",
            "java.util.SortedMap",
            "java.util.NavigableMap",
            "java.util.SortedSet",
            "java.util.NavigableSet",
            "java.util.TreeMap",
            "java.util.TreeSet",
            "java.util.LinkedHashMap",
            "java.util.LinkedHashSet",
            "java.util.ArrayList",
            "java.util.ArrayDeque",
            "java.util.EnumMap",
            "java.util.EnumSet",
            "java.util.BitSet",
            "java.util.Arrays",
            "java.util.Collections",
            "java.util.Comparator",
            "java.util.Objects",
            "java.util.Optional",
            // Sequential streams run in the caller's thread and keep the encounter order of an
            // ordered source, so stream().filter().limit().toList() is deterministic. Parallel
            // streams (the fork-join pool's threads), unordered() and findAny() are forbidden
            // below; Collectors is not listed (toSet, toMap and groupingBy are hash-ordered):
            // Stream.toList() covers lists.
            "java.util.stream.Stream",
            // Immutable bytes with a content hash code; its toString() is forbidden below.
            "com.google.protobuf.ByteString",
            // SHA-256: a pure function of its input.
            "io.pbft.crypto.Digests"));

    /**
     * Whole packages the core may use. {@code java.util.function} holds only functional
     * interfaces: a lambda's body is a method of the core class that declares it and is checked
     * there, so the interface it implements adds nothing impure.
     */
    static final Set<String> ALLOWED_PACKAGES = new TreeSet<>(List.of("java.util.function"));

    /** Calls that break determinism even where the class is allowed (or in case it ever is). */
    static final List<ForbiddenCall> FORBIDDEN_CALLS = List.of(
            ForbiddenCall.allMembersBut("java.lang.System",
                    "reads the clock, the environment, system properties or identity hash codes, or does I/O",
                    "arraycopy"),
            ForbiddenCall.of("java.lang.Integer", "reads a system property", "getInteger"),
            ForbiddenCall.of("java.lang.Long", "reads a system property", "getLong"),
            ForbiddenCall.of("java.lang.Boolean", "reads a system property", "getBoolean"),
            ForbiddenCall.of("java.lang.Math", "a random number the seed does not control", "random"),
            ForbiddenCall.of("java.lang.StrictMath", "a random number the seed does not control", "random"),
            ForbiddenCall.of("java.util.Collections", "a random order the seed does not control", "shuffle"),
            ForbiddenCall.of("java.util.UUID", "a random number the seed does not control", "randomUUID"),
            ForbiddenCall.of("java.util.Set",
                    "iteration order is salted per JVM run; use List.of or a TreeSet", "of", "copyOf"),
            ForbiddenCall.of("java.util.Map",
                    "iteration order is salted per JVM run; use a TreeMap or LinkedHashMap",
                    "of", "ofEntries", "copyOf"),
            ForbiddenCall.of("java.lang.Object",
                    "the identity hash code differs from one JVM to the next; define hashCode/toString",
                    "hashCode", "toString"),
            ForbiddenCall.of("java.lang.Enum",
                    "an enum's hash code is its identity hash code; use ordinal()", "hashCode"),
            ForbiddenCall.of("com.google.protobuf.ByteString",
                    "prints the identity hash code; use size() or a hex string", "toString()"),
            ForbiddenCall.of("java.lang.Object", "blocks or wakes other threads", "wait", "notify", "notifyAll"),
            ForbiddenCall.allMembersBut("java.lang.Thread", "threads belong to the drivers"),
            ForbiddenCall.allMembersBut("java.lang.Runtime", "differs from one machine or JVM to the next"),
            ForbiddenCall.of("java.util.Arrays", "runs on the fork-join pool's threads",
                    "parallelSort", "parallelPrefix", "parallelSetAll"),
            ForbiddenCall.of("java.util.Collection", "runs on the fork-join pool's threads", "parallelStream"),
            ForbiddenCall.of("java.util.stream.BaseStream", "runs on the fork-join pool's threads", "parallel"),
            ForbiddenCall.of("java.util.stream.BaseStream", "gives up the encounter order", "unordered"),
            ForbiddenCall.of("java.util.stream.Stream", "may return any element; use findFirst", "findAny"),
            ForbiddenCall.of("java.lang.String",
                    "depends on the JVM's default locale; concatenate or use a StringBuilder",
                    "format", "formatted", "toLowerCase()", "toUpperCase()"),
            ForbiddenCall.of("java.lang.String", "depends on the JVM's default charset", "getBytes()"));

    /** The rule: applies to every class it is evaluated on; the caller chooses them by what it imports. */
    static final ArchRule RULE = classes()
            .should(dependOnlyOnAllowedClasses())
            .andShould(makeNoForbiddenCall())
            .because("the core must be a pure, deterministic state machine: a seed replays a simulated run"
                    + " exactly, in this JVM and in another (see CorePurityRule's Javadoc to extend the lists)");

    private CorePurityRule() {}

    static boolean isAllowed(JavaClass origin, JavaClass target) {
        JavaClass type = target.getBaseComponentType();
        String packageName = type.getPackageName();
        return type.isPrimitive()
                || packageName.equals(origin.getPackageName())
                || packageName.equals(CORE_PACKAGE)
                || packageName.startsWith(CORE_PACKAGE + ".")
                || ALLOWED_CLASSES.contains(type.getName())
                || ALLOWED_PACKAGES.contains(packageName);
    }

    private static ArchCondition<JavaClass> dependOnlyOnAllowedClasses() {
        return new ArchCondition<>("depend only on " + CORE_PACKAGE + ".., their own package,"
                + " CorePurityRule.ALLOWED_CLASSES and CorePurityRule.ALLOWED_PACKAGES") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    if (!isAllowed(origin, dependency.getTargetClass())) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()
                                + " [" + dependency.getTargetClass().getBaseComponentType().getName()
                                + " is not on the core's allowlist]"));
                    }
                }
            }
        };
    }

    private static ArchCondition<JavaClass> makeNoForbiddenCall() {
        return new ArchCondition<>("make no call in CorePurityRule.FORBIDDEN_CALLS") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (JavaAccess<?> access : origin.getAccessesFromSelf()) {
                    for (ForbiddenCall forbidden : FORBIDDEN_CALLS) {
                        if (forbidden.matches(access.getTarget())) {
                            events.add(SimpleConditionEvent.violated(access,
                                    access.getDescription() + " [" + forbidden.reason() + "]"));
                        }
                    }
                }
            }
        };
    }

    /**
     * Members of {@code owner} the core must not use. A member named {@code "name()"} means only
     * the overload without parameters; {@code allMembers} forbids every member but {@code members}.
     */
    record ForbiddenCall(String owner, String reason, boolean allMembers, List<String> members) {

        static ForbiddenCall of(String owner, String reason, String... members) {
            return new ForbiddenCall(owner, reason, false, List.of(members));
        }

        static ForbiddenCall allMembersBut(String owner, String reason, String... exceptions) {
            return new ForbiddenCall(owner, reason, true, List.of(exceptions));
        }

        boolean matches(AccessTarget target) {
            if (!ownedBy(target)) {
                return false;
            }
            boolean named = members.contains(target.getName())
                    || (members.contains(target.getName() + "()") && hasNoParameters(target));
            return allMembers != named;
        }

        /** Named in the bytecode, or declaring the member the access resolves to. */
        private boolean ownedBy(AccessTarget target) {
            if (target.getOwner().getName().equals(owner)) {
                return true;
            }
            Optional<? extends JavaMember> resolved = target.resolveMember();
            return resolved.isPresent() && resolved.get().getOwner().getName().equals(owner);
        }

        private static boolean hasNoParameters(AccessTarget target) {
            return target instanceof CodeUnitAccessTarget codeUnit && codeUnit.getRawParameterTypes().isEmpty();
        }
    }
}
