package io.pbft.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/** A real directory, through {@link FileChannel}. */
public final class NioLogStorage implements LogStorage {

    private final Path directory;

    private NioLogStorage(Path directory) {
        this.directory = directory;
    }

    /** The directory {@code directory}, created (with its parents) if missing. */
    public static NioLogStorage open(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        if (!Files.isDirectory(absolute)) {
            Files.createDirectories(absolute);
            // The new directory's own entry lives in its parent, which must be synced for it.
            forceDirectory(absolute.getParent());
        }
        return new NioLogStorage(absolute);
    }

    public Path directory() {
        return directory;
    }

    @Override
    public List<String> list() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    public StorageFile create(String name) throws IOException {
        return new NioFile(FileChannel.open(resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE));
    }

    @Override
    public StorageFile open(String name) throws IOException {
        return new NioFile(FileChannel.open(resolve(name), StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    @Override
    public void delete(String name) throws IOException {
        Files.delete(resolve(name));
    }

    @Override
    public void rename(String source, String target) throws IOException {
        Files.move(resolve(source), resolve(target), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void syncDirectory() throws IOException {
        forceDirectory(directory);
    }

    @Override
    public String describe(String name) {
        return resolve(name).toString();
    }

    private Path resolve(String name) {
        Path file = directory.resolve(name);
        if (!directory.equals(file.getParent()) || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
        return file;
    }

    /** Works on Linux and macOS; a directory opened for reading can be forced there. */
    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Writes at a position kept here, so that appends cost no {@code size()} call. */
    private static final class NioFile implements StorageFile {

        private final FileChannel channel;
        private long endBytes;

        NioFile(FileChannel channel) throws IOException {
            this.channel = channel;
            this.endBytes = channel.size();
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public int read(ByteBuffer target, long position) throws IOException {
            return channel.read(target, position);
        }

        @Override
        public void append(ByteBuffer source) throws IOException {
            while (source.hasRemaining()) {
                endBytes += channel.write(source, endBytes);
            }
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            channel.truncate(sizeBytes);
            endBytes = Math.min(endBytes, sizeBytes);
        }

        /**
         * {@code force(false)} is fdatasync on Linux: it also writes the metadata needed to read
         * the data back, the file's length among it, and skips only timestamps.
         */
        @Override
        public void force() throws IOException {
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
