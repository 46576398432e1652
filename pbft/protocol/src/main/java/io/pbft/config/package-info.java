/**
 * The cluster configuration file shared by replicas, clients and tools: who the replicas are, where
 * they listen, their public keys, and the protocol's knobs. Errors name the file and the field.
 */
package io.pbft.config;
