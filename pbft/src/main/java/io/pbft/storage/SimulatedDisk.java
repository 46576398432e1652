package io.pbft.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A directory in memory that a deterministic simulator can crash. It keeps apart what was made
 * durable (a file's bytes up to its last {@link StorageFile#force()}, the names as of the last
 * {@link #syncDirectory()}) from what was only written, and {@link #crash()} keeps the durable
 * part and a random part of the rest:
 *
 * <ul>
 *   <li>of the creates, deletes and renames since the last directory sync, a random prefix (a
 *       journaling file system keeps them in order);
 *   <li>of each file's bytes appended since its last force, a random prefix; a file cut since
 *       its last force keeps, at random, either what was forced or a prefix of what was written.
 * </ul>
 *
 * Every random choice comes from the {@link Random} the caller gives, so a run replays from its
 * seed. Files opened before a crash fail afterwards, as a dead process's would. Meant for the
 * small segments of a simulation (a force copies the file) and for one thread.
 */
public final class SimulatedDisk implements LogStorage {

    private final Random random;
    private final Map<String, Inode> names = new TreeMap<>();
    private final Map<String, Inode> durableNames = new TreeMap<>();
    private final List<DirectoryChange> unsyncedChanges = new ArrayList<>();
    private int crashes;

    public SimulatedDisk(Random random) {
        this.random = random;
    }

    /** Loses what was not made durable, in part, as a power cut would; see the class comment. */
    public void crash() {
        Map<String, Inode> survivors = new TreeMap<>(durableNames);
        int kept = random.nextInt(unsyncedChanges.size() + 1);
        for (DirectoryChange change : unsyncedChanges.subList(0, kept)) {
            change.applyTo(survivors);
        }
        for (Inode inode : survivors.values()) {
            inode.crash(random);
        }
        names.clear();
        names.putAll(survivors);
        durableNames.clear();
        durableNames.putAll(survivors);
        unsyncedChanges.clear();
        crashes++;
    }

    @Override
    public List<String> list() {
        return List.copyOf(names.keySet());
    }

    @Override
    public StorageFile create(String name) throws IOException {
        if (names.containsKey(name)) {
            throw new FileAlreadyExistsException(describe(name));
        }
        Inode inode = new Inode();
        record(new Create(name, inode));
        return new Handle(inode);
    }

    @Override
    public StorageFile open(String name) throws IOException {
        return new Handle(existing(name));
    }

    @Override
    public void delete(String name) throws IOException {
        existing(name);
        record(new Delete(name));
    }

    @Override
    public void rename(String source, String target) throws IOException {
        existing(source);
        record(new Rename(source, target));
    }

    @Override
    public void syncDirectory() {
        durableNames.clear();
        durableNames.putAll(names);
        unsyncedChanges.clear();
    }

    @Override
    public String describe(String name) {
        return "simulated:" + name;
    }

    private Inode existing(String name) throws NoSuchFileException {
        Inode inode = names.get(name);
        if (inode == null) {
            throw new NoSuchFileException(describe(name));
        }
        return inode;
    }

    private void record(DirectoryChange change) {
        change.applyTo(names);
        unsyncedChanges.add(change);
    }

    private sealed interface DirectoryChange {
        void applyTo(Map<String, Inode> directory);
    }

    private record Create(String name, Inode inode) implements DirectoryChange {
        @Override
        public void applyTo(Map<String, Inode> directory) {
            directory.put(name, inode);
        }
    }

    private record Delete(String name) implements DirectoryChange {
        @Override
        public void applyTo(Map<String, Inode> directory) {
            directory.remove(name);
        }
    }

    private record Rename(String source, String target) implements DirectoryChange {
        @Override
        public void applyTo(Map<String, Inode> directory) {
            Inode inode = directory.remove(source);
            if (inode != null) {
                directory.put(target, inode);
            }
        }
    }

    /** A file's content, apart from its names: what reads see, and what survives a crash. */
    private static final class Inode {

        private static final int MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

        private byte[] data = new byte[0];
        private int length;
        /*
         * What survives a crash: the first durableLength bytes of data, or of durableCopy when a cut
         * since the last force reached below them (the appends after it overwrite them in data). A
         * log forces after every batch of appends: a force that copied the file would cost a
         * simulation the whole segment per input.
         */
        private int durableLength;
        private byte[] durableCopy;

        int read(ByteBuffer target, long position) {
            if (position >= length) {
                return -1;
            }
            int count = (int) Math.min(target.remaining(), length - position);
            target.put(data, (int) position, count);
            return count;
        }

        void append(ByteBuffer source) throws IOException {
            long newLength = (long) length + source.remaining();
            if (newLength > MAX_FILE_BYTES) {
                throw new IOException("a simulated file holds at most " + MAX_FILE_BYTES + " bytes");
            }
            if (newLength > data.length) {
                data = Arrays.copyOf(data, (int) Math.max(newLength, Math.min(2L * data.length, MAX_FILE_BYTES)));
            }
            int count = source.remaining();
            source.get(data, length, count);
            length += count;
        }

        void truncate(long sizeBytes) {
            if (sizeBytes < durableLength && durableCopy == null) {
                durableCopy = Arrays.copyOf(data, durableLength); // appends will overwrite it
            }
            length = (int) Math.min(length, sizeBytes);
        }

        void force() {
            durableLength = length;
            durableCopy = null;
        }

        void crash(Random random) {
            byte[] durable = durableCopy == null ? data : durableCopy;
            int common = Arrays.mismatch(durable, 0, durableLength, data, 0, length);
            if (common < 0) {
                common = length;
            }
            boolean onlyAppended = common == durableLength;
            if (!onlyAppended && random.nextBoolean()) {
                data = Arrays.copyOf(durable, durableLength);
                length = durableLength;
            } else {
                length = common + random.nextInt(length - common + 1);
            }
            force();
        }
    }

    private final class Handle implements StorageFile {

        private final Inode inode;
        private final int crashesAtOpen;
        private boolean closed;

        Handle(Inode inode) {
            this.inode = inode;
            this.crashesAtOpen = crashes;
        }

        @Override
        public long size() throws IOException {
            return live().length;
        }

        @Override
        public int read(ByteBuffer target, long position) throws IOException {
            return live().read(target, position);
        }

        @Override
        public void append(ByteBuffer source) throws IOException {
            live().append(source);
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            live().truncate(sizeBytes);
        }

        @Override
        public void force() throws IOException {
            live().force();
        }

        @Override
        public void close() {
            closed = true;
        }

        private Inode live() throws IOException {
            if (closed) {
                throw new IOException("simulated file is closed");
            }
            if (crashesAtOpen != crashes) {
                throw new IOException("the simulated disk crashed since this file was opened");
            }
            return inode;
        }
    }
}
