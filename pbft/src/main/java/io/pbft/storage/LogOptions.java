package io.pbft.storage;

/**
 * The knobs of a {@link WriteAheadLog}.
 *
 * @param segmentBytes a segment is closed and a new one started once it holds this many bytes;
 *     a segment may pass it by one record
 * @param maxRecordBytes the largest payload accepted on append; on read, a larger length is
 *     damage, not a reason to allocate. Never lower it below what a log was written with.
 * @param writeBufferBytes appended records wait in a buffer of this size until {@code sync()} or
 *     until it is full; a larger record is written straight through
 * @param maxSnapshotBytes the largest snapshot frame accepted on write and on read (a snapshot of
 *     one frame: the largest snapshot)
 * @param syncPolicy what {@code sync()} promises
 */
public record LogOptions(long segmentBytes, int maxRecordBytes, int writeBufferBytes, int maxSnapshotBytes,
        SyncPolicy syncPolicy) {

    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
    /** Twice the transport's default frame, so that any message a replica can receive fits. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_WRITE_BUFFER_BYTES = 256 * 1024;
    public static final int DEFAULT_MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;
    /** Room left below {@code Integer.MAX_VALUE} for a frame's header: Java arrays end there. */
    private static final int MAX_BYTES = Integer.MAX_VALUE - 64;

    public LogOptions {
        require(segmentBytes >= 1, "segmentBytes must be at least 1, was " + segmentBytes);
        require(maxRecordBytes >= 0 && maxRecordBytes <= MAX_BYTES,
                "maxRecordBytes must be in [0, " + MAX_BYTES + "], was " + maxRecordBytes);
        require(writeBufferBytes >= RecordFrame.HEADER_BYTES,
                "writeBufferBytes must be at least " + RecordFrame.HEADER_BYTES + ", was " + writeBufferBytes);
        require(maxSnapshotBytes >= 0 && maxSnapshotBytes <= MAX_BYTES,
                "maxSnapshotBytes must be in [0, " + MAX_BYTES + "], was " + maxSnapshotBytes);
        require(syncPolicy != null, "syncPolicy must be given");
    }

    public static LogOptions defaults() {
        return new LogOptions(DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_RECORD_BYTES, DEFAULT_WRITE_BUFFER_BYTES,
                DEFAULT_MAX_SNAPSHOT_BYTES, SyncPolicy.EVERY_BATCH);
    }

    public LogOptions withSegmentBytes(long newSegmentBytes) {
        return new LogOptions(newSegmentBytes, maxRecordBytes, writeBufferBytes, maxSnapshotBytes, syncPolicy);
    }

    public LogOptions withMaxRecordBytes(int newMaxRecordBytes) {
        return new LogOptions(segmentBytes, newMaxRecordBytes, writeBufferBytes, maxSnapshotBytes, syncPolicy);
    }

    public LogOptions withWriteBufferBytes(int newWriteBufferBytes) {
        return new LogOptions(segmentBytes, maxRecordBytes, newWriteBufferBytes, maxSnapshotBytes, syncPolicy);
    }

    public LogOptions withMaxSnapshotBytes(int newMaxSnapshotBytes) {
        return new LogOptions(segmentBytes, maxRecordBytes, writeBufferBytes, newMaxSnapshotBytes, syncPolicy);
    }

    public LogOptions withSyncPolicy(SyncPolicy newSyncPolicy) {
        return new LogOptions(segmentBytes, maxRecordBytes, writeBufferBytes, maxSnapshotBytes, newSyncPolicy);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
