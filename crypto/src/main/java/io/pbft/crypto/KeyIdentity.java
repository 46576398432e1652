package io.pbft.crypto;

import java.util.Objects;

/**
 * Who a key file says its holder is: a replica or a client, its number, and its Ed25519 key.
 *
 * @param role {@link #REPLICA} or {@link #CLIENT}
 * @param id the replica or client number, not negative
 * @param key the signing key
 */
public record KeyIdentity(String role, int id, SigningKey key) {

    /** Role of a replica's key. */
    public static final String REPLICA = "replica";
    /** Role of a client's key. */
    public static final String CLIENT = "client";

    /** @throws IllegalArgumentException on an unknown role or a negative id */
    public KeyIdentity {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(key, "key");
        if (!isKnownRole(role)) {
            throw new IllegalArgumentException("role must be '" + REPLICA + "' or '" + CLIENT + "', found '" + role + "'");
        }
        if (id < 0) {
            throw new IllegalArgumentException("id must not be negative, found " + id);
        }
    }

    /** The identity of replica {@code id}. */
    public static KeyIdentity replica(int id, SigningKey key) {
        return new KeyIdentity(REPLICA, id, key);
    }

    /** The identity of client {@code id}. */
    public static KeyIdentity client(int id, SigningKey key) {
        return new KeyIdentity(CLIENT, id, key);
    }

    /** Whether {@code role} is one a key file may name. */
    public static boolean isKnownRole(String role) {
        return REPLICA.equals(role) || CLIENT.equals(role);
    }
}
