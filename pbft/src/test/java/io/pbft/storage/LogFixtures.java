package io.pbft.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;

/** Random logs, and the raw file surgery the properties do to them, through any {@link LogStorage}. */
final class LogFixtures {

    /** Segments of a few records, a buffer smaller than some frames: every path is taken. */
    static final LogOptions SMALL = LogOptions.defaults()
            .withSegmentBytes(160)
            .withWriteBufferBytes(64)
            .withMaxRecordBytes(256)
            .withMaxSnapshotBytes(1024);

    /** A record as the log places it: in which segment, from which byte. */
    record Placed(LogRecord record, String segment, long offset) {

        long endOffset() {
            return offset + RecordFrame.HEADER_BYTES + record.payloadBytes();
        }
    }

    private LogFixtures() {
    }

    /**
     * Appends {@code count} random records, sequences never decreasing, syncing after batches of
     * random size and at the end; returns them as the log holds them.
     */
    static List<LogRecord> appendRandom(WriteAheadLog log, Random random, int count, int maxPayloadBytes)
            throws IOException {
        List<LogRecord> appended = new ArrayList<>();
        long sequence = 1;
        for (int i = 0; i < count; i++) {
            sequence += random.nextInt(3);
            byte[] payload = new byte[random.nextInt(maxPayloadBytes + 1)];
            random.nextBytes(payload);
            byte type = (byte) random.nextInt();
            appended.add(new LogRecord(log.append(sequence, type, payload), sequence, type, payload));
            if (random.nextInt(3) == 0) {
                log.sync();
            }
        }
        log.sync();
        return appended;
    }

    static List<LogRecord> replay(WriteAheadLog log) throws IOException {
        List<LogRecord> records = new ArrayList<>();
        log.replay(records::add);
        return records;
    }

    static List<LogRecord> reopenAndReplay(LogStorage storage, LogOptions options) throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(storage, options)) {
            return replay(log);
        }
    }

    static List<String> segments(LogStorage storage) throws IOException {
        return storage.list().stream().filter(name -> Segment.firstIndexOf(name) >= 0).toList();
    }

    /** Where each of {@code records} (the whole log, in order) lies on disk. */
    static List<Placed> layout(LogStorage storage, List<LogRecord> records) throws IOException {
        List<String> segments = segments(storage);
        List<Placed> placed = new ArrayList<>();
        int segment = 0;
        long offset = 0;
        for (LogRecord record : records) {
            while (segment + 1 < segments.size() && Segment.firstIndexOf(segments.get(segment + 1)) <= record.index()) {
                segment++;
                offset = 0;
            }
            Placed here = new Placed(record, segments.get(segment), offset);
            placed.add(here);
            offset = here.endOffset();
        }
        return placed;
    }

    /** Every file's bytes, by name, to {@link #restore} between trials. */
    static Map<String, byte[]> files(LogStorage storage) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        for (String name : storage.list()) {
            files.put(name, contents(storage, name));
        }
        return files;
    }

    /** Puts the directory back as {@link #files} saw it (not durably: no trial crashes). */
    static void restore(LogStorage storage, Map<String, byte[]> files) throws IOException {
        for (String name : storage.list()) {
            if (!files.containsKey(name)) {
                storage.delete(name);
            }
        }
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            overwrite(storage, file.getKey(), file.getValue());
        }
    }

    static byte[] contents(LogStorage storage, String name) throws IOException {
        try (StorageFile file = storage.open(name)) {
            ByteBuffer bytes = ByteBuffer.allocate((int) file.size());
            file.readFully(bytes, 0);
            return bytes.array();
        }
    }

    static void overwrite(LogStorage storage, String name, byte[] bytes) throws IOException {
        try (StorageFile file = storage.list().contains(name) ? storage.open(name) : storage.create(name)) {
            file.truncate(0);
            file.append(ByteBuffer.wrap(bytes));
        }
    }

    static byte[] flipBit(byte[] bytes, int bit) {
        byte[] flipped = bytes.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        return flipped;
    }

    /** All of [0, bound) when {@code sample} is 0, else {@code sample} of them drawn at random. */
    static IntStream choose(Random random, int bound, int sample) {
        return sample == 0 ? IntStream.range(0, bound) : random.ints(sample, 0, bound);
    }
}
