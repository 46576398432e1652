package io.pbft.storage;

import io.pbft.storage.SegmentReader.Bad;
import io.pbft.storage.SegmentReader.Frame;
import io.pbft.storage.SegmentReader.Valid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every segment when a log opens, and repairs the one kind of damage a crash explains: a
 * torn last write, cut off the end of the last segment. Anything else is refused, since going on
 * would lose records a replica may have acted on, or replay bytes it never wrote.
 *
 * <p>Only the last segment can end torn: a segment is forced before the next one is created,
 * whatever the sync policy.
 */
final class Recovery {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    /**
     * The log as found: its segments in order (the last one open for appends), and the index of
     * the next record.
     */
    record Recovered(List<Segment> segments, long nextIndex) {
    }

    private Recovery() {
    }

    static Recovered recover(LogStorage storage, int maxRecordBytes) throws IOException {
        List<Segment> found = segmentsIn(storage);
        List<Segment> checked = new ArrayList<>();
        long nextIndex = found.isEmpty() ? 1 : found.get(0).firstIndex();
        for (Segment segment : found) {
            if (segment.firstIndex() != nextIndex) {
                throw new CorruptLogException(storage.describe(segment.name()), 0, "it starts at record "
                        + segment.firstIndex() + " but the segment before it ends before record " + nextIndex);
            }
            boolean last = checked.size() == found.size() - 1;
            try (StorageFile file = storage.open(segment.name())) {
                SegmentReader reader = new SegmentReader(file, storage.describe(segment.name()),
                        segment.firstIndex(), maxRecordBytes);
                checkFrames(reader, file, last);
                checked.add(new Segment(segment.name(), segment.firstIndex(), reader.maxSequence()));
                nextIndex = reader.nextIndex();
            }
        }
        return new Recovered(checked, nextIndex);
    }

    private static List<Segment> segmentsIn(LogStorage storage) throws IOException {
        List<Segment> segments = new ArrayList<>();
        for (String name : storage.list()) {
            long firstIndex = Segment.firstIndexOf(name);
            if (firstIndex >= 0) {
                segments.add(new Segment(name, firstIndex, Long.MIN_VALUE));
            }
        }
        // Zero-padded names sort by index already; sorting on the number says so without relying on it.
        segments.sort((a, b) -> Long.compare(a.firstIndex(), b.firstIndex()));
        return segments;
    }

    private static void checkFrames(SegmentReader reader, StorageFile file, boolean last) throws IOException {
        Frame frame = reader.next();
        while (frame instanceof Valid) {
            frame = reader.next();
        }
        if (frame instanceof Bad bad) {
            if (!last || !bad.mayBeTorn() || reader.validFrameAhead()) {
                throw reader.corrupt(bad);
            }
            cutTornEnd(reader, file, bad);
        }
    }

    private static void cutTornEnd(SegmentReader reader, StorageFile file, Bad bad) throws IOException {
        long dropped = reader.sizeBytes() - reader.offset();
        file.truncate(reader.offset());
        file.force();
        log.warn("Cut a torn write off the end of the log: {} at byte offset {} ({}); {} bytes dropped",
                reader.description(), reader.offset(), bad.problem(), dropped);
    }
}
