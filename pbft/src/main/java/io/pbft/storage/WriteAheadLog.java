package io.pbft.storage;

import io.pbft.storage.SegmentReader.Bad;
import io.pbft.storage.SegmentReader.End;
import io.pbft.storage.SegmentReader.Frame;
import io.pbft.storage.SegmentReader.Valid;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A durable, segmented log of opaque records, with the snapshot of the latest stable checkpoint
 * beside it. Group commit: append a batch's records, then {@link #sync()} once, then send.
 *
 * <p>At start-up: {@link #open} checks the log and cuts a torn last write, {@link #readSnapshot()}
 * gives the checkpoint, {@link #replay} streams the records. At each stable checkpoint:
 * {@link #writeSnapshot} first, then {@link #truncateBefore}, so that a crash between the two
 * leaves records to spare, never a gap.
 *
 * <p>Not thread-safe: one thread owns a log. After any I/O error while appending, syncing or
 * truncating, the log refuses further use (a failed fsync may have dropped the written pages, and
 * a retry could report success for lost records); reopening it recovers what reached the disk.
 */
public final class WriteAheadLog implements Closeable {

    private final LogStorage storage;
    private final LogOptions options;
    private final SnapshotFile snapshot;
    private final Deque<Segment> sealed;
    private SegmentWriter active;
    private long nextIndex;
    private IOException failure;
    private boolean closed;

    private WriteAheadLog(LogStorage storage, LogOptions options, List<Segment> sealed, SegmentWriter active,
            long nextIndex) {
        this.storage = storage;
        this.options = options;
        this.snapshot = new SnapshotFile(storage, options.maxSnapshotBytes());
        this.sealed = new ArrayDeque<>(sealed);
        this.active = active;
        this.nextIndex = nextIndex;
    }

    /**
     * Opens the log in {@code storage}, creating it if empty. Reads every segment; cuts a torn
     * write off the end of the last one (logged at WARN); refuses any other damage.
     *
     * @throws CorruptLogException for damage a crash cannot explain, naming the file and offset
     */
    public static WriteAheadLog open(LogStorage storage, LogOptions options) throws IOException {
        Recovery.Recovered recovered = Recovery.recover(storage, options.maxRecordBytes());
        List<Segment> segments = new ArrayList<>(recovered.segments());
        SegmentWriter active = segments.isEmpty()
                ? SegmentWriter.create(storage, recovered.nextIndex(), options.writeBufferBytes())
                : SegmentWriter.reopen(storage, segments.remove(segments.size() - 1), options.writeBufferBytes());
        return new WriteAheadLog(storage, options, segments, active, recovered.nextIndex());
    }

    /**
     * Buffers a record; it is durable once {@link #sync()} returns. May write and force a full
     * segment and start the next one.
     *
     * @return the record's index
     * @throws IllegalArgumentException if the payload is over {@link LogOptions#maxRecordBytes()}
     */
    public long append(long sequence, byte type, byte[] payload) throws IOException {
        if (payload.length > options.maxRecordBytes()) {
            throw new IllegalArgumentException("a record of " + payload.length + " bytes is over maxRecordBytes "
                    + options.maxRecordBytes());
        }
        checkUsable();
        try {
            if (active.sizeBytes() >= options.segmentBytes()) {
                roll();
            }
            active.append(nextIndex, sequence, type, payload);
        } catch (IOException e) {
            throw failed(e);
        }
        return nextIndex++;
    }

    /** Makes every record appended so far durable, as far as the {@link SyncPolicy} promises. */
    public void sync() throws IOException {
        checkUsable();
        try {
            if (options.syncPolicy() == SyncPolicy.EVERY_BATCH) {
                active.force();
            } else {
                active.flush();
            }
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /**
     * Deletes the oldest segments while every record in them belongs to a sequence below
     * {@code sequence}. The segment being appended to is kept, and so is every segment after one
     * that must stay, so the log keeps no gap.
     *
     * @return how many segments were deleted
     */
    public int truncateBefore(long sequence) throws IOException {
        checkUsable();
        int deleted = 0;
        try {
            while (!sealed.isEmpty() && sealed.peekFirst().maxSequence() < sequence) {
                storage.delete(sealed.peekFirst().name());
                // A sync per segment, oldest first: whatever order a file system keeps unsynced
                // deletes in, a crash cannot leave a gap between segments.
                storage.syncDirectory();
                sealed.removeFirst();
                deleted++;
            }
        } catch (IOException e) {
            throw failed(e);
        }
        return deleted;
    }

    /**
     * Streams every record in the log, oldest first, to {@code sink}: records appended but not
     * synced included. Reads the disk, holding one record at a time.
     */
    public void replay(Consumer<LogRecord> sink) throws IOException {
        checkUsable();
        try {
            active.flush();
        } catch (IOException e) {
            throw failed(e);
        }
        List<Segment> segments = new ArrayList<>(sealed);
        segments.add(active.segment());
        for (Segment segment : segments) {
            replaySegment(segment, sink);
        }
    }

    /** Where a snapshot's frames go as they are written, or come from as they are read. */
    @FunctionalInterface
    public interface FrameSink {
        void accept(byte[] frame) throws IOException;
    }

    /** A snapshot's content, written a frame at a time. */
    @FunctionalInterface
    public interface SnapshotBody {
        void writeTo(FrameSink frames) throws IOException;
    }

    /**
     * Replaces the snapshot atomically with the frames {@code body} writes, each checksummed:
     * written aside, forced, renamed, directory synced.
     *
     * @throws IllegalArgumentException if a frame is over {@link LogOptions#maxSnapshotBytes()}
     */
    public void writeSnapshot(SnapshotBody body) throws IOException {
        snapshot.write(body);
    }

    /** As {@link #writeSnapshot(SnapshotBody)}, for a snapshot of one frame. */
    public void writeSnapshot(byte[] bytes) throws IOException {
        snapshot.write(bytes);
    }

    /**
     * Hands the latest snapshot's frames, in order, to {@code frames}; false if there is none.
     *
     * @throws CorruptLogException if a frame's length or checksum is wrong
     */
    public boolean readSnapshot(FrameSink frames) throws IOException {
        return snapshot.read(frames);
    }

    /**
     * The latest snapshot written, its frames one after the other, if any.
     *
     * @throws CorruptLogException if a frame's length or checksum is wrong
     */
    public Optional<byte[]> readSnapshot() throws IOException {
        return snapshot.read();
    }

    /** The index of the oldest record kept (of the next one, if the log holds none). */
    public long firstIndex() {
        return sealed.isEmpty() ? active.segment().firstIndex() : sealed.peekFirst().firstIndex();
    }

    /** The index the next appended record gets. */
    public long nextIndex() {
        return nextIndex;
    }

    public int segmentCount() {
        return sealed.size() + 1;
    }

    /** Syncs (as the policy says) and closes; after a failure, only closes. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (failure == null) {
                sync();
            }
        } finally {
            closed = true;
            active.close();
        }
    }

    private void roll() throws IOException {
        // Forced even under SyncPolicy.NONE, so that only the last segment can ever end torn and
        // recovery may refuse damage anywhere else.
        sealed.addLast(active.seal());
        active = SegmentWriter.create(storage, nextIndex, options.writeBufferBytes());
    }

    private void replaySegment(Segment segment, Consumer<LogRecord> sink) throws IOException {
        try (StorageFile file = storage.open(segment.name())) {
            SegmentReader reader = new SegmentReader(file, storage.describe(segment.name()), segment.firstIndex(),
                    options.maxRecordBytes());
            for (Frame frame = reader.next(); !(frame instanceof End); frame = reader.next()) {
                if (frame instanceof Bad bad) {
                    throw reader.corrupt(bad);
                }
                sink.accept(((Valid) frame).record());
            }
        }
    }

    private void checkUsable() throws IOException {
        if (closed) {
            throw new IOException("the write-ahead log is closed");
        }
        if (failure != null) {
            throw new IOException("the write-ahead log is unusable after an earlier failure; reopen it", failure);
        }
    }

    private IOException failed(IOException cause) {
        failure = cause;
        return cause;
    }
}
