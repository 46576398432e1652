package io.pbft.chaos.sim;

import io.pbft.storage.LogStorage;
import io.pbft.storage.SimulatedDisk;
import io.pbft.storage.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

/**
 * One replica's simulated disk, which outlives the replica's incarnations: a {@link SimulatedDisk}
 * that can also have the process die in the middle of a sync ({@link #dieAtNextSync}). From that
 * sync on, every operation fails, as a dead process's would, until {@link #crash()} drops what was
 * not synced and the next incarnation opens the disk again.
 */
final class ReplicaDisk implements LogStorage {

    private final SimulatedDisk disk;
    private boolean dieAtNextSync;
    private boolean dead;

    /** {@code random} decides what a crash keeps of the unsynced writes; it is drawn from only then. */
    ReplicaDisk(Random random) {
        this.disk = new SimulatedDisk(random);
    }

    /** The next force or directory sync does not happen: the process dies there instead. */
    void dieAtNextSync() {
        dieAtNextSync = true;
    }

    /** Whether the process died in a sync since the last crash. */
    boolean died() {
        return dead;
    }

    /** The machine goes down: what was not synced is lost, in part; the disk is ready to be opened again. */
    void crash() {
        disk.crash();
        dieAtNextSync = false;
        dead = false;
    }

    @Override
    public List<String> list() throws IOException {
        alive();
        return disk.list();
    }

    @Override
    public StorageFile create(String name) throws IOException {
        alive();
        return new File(disk.create(name));
    }

    @Override
    public StorageFile open(String name) throws IOException {
        alive();
        return new File(disk.open(name));
    }

    @Override
    public void delete(String name) throws IOException {
        alive();
        disk.delete(name);
    }

    @Override
    public void rename(String source, String target) throws IOException {
        alive();
        disk.rename(source, target);
    }

    @Override
    public void syncDirectory() throws IOException {
        syncing();
        disk.syncDirectory();
    }

    @Override
    public String describe(String name) {
        return disk.describe(name);
    }

    private void alive() throws IOException {
        if (dead) {
            throw new IOException("the simulated process died in a sync");
        }
    }

    private void syncing() throws IOException {
        alive();
        if (dieAtNextSync) {
            dead = true;
            alive();
        }
    }

    private final class File implements StorageFile {

        private final StorageFile file;

        File(StorageFile file) {
            this.file = file;
        }

        @Override
        public long size() throws IOException {
            alive();
            return file.size();
        }

        @Override
        public int read(ByteBuffer target, long position) throws IOException {
            alive();
            return file.read(target, position);
        }

        @Override
        public void append(ByteBuffer source) throws IOException {
            alive();
            file.append(source);
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            alive();
            file.truncate(sizeBytes);
        }

        @Override
        public void force() throws IOException {
            syncing();
            file.force();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
