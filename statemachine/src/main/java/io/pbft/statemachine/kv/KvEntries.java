package io.pbft.statemachine.kv;

/**
 * The entries as one operation sees them: what {@link KvExecution} reads and writes, so that the
 * semantics of the operations exist once whichever store holds the entries.
 */
interface KvEntries {

    /** The value of {@code key}, or null if it does not exist. */
    String get(String key);

    /** Puts {@code value}, or removes the key when it is null; returns the previous value or null. */
    String write(String key, String value);
}
