package io.pbft.transport;

/** A bound server socket. Closing it stops accepting and closes the connections it accepted. */
public interface Listener extends AutoCloseable {

    /** The bound port (the actual one when 0 was asked for). */
    int port();

    @Override
    void close();
}
