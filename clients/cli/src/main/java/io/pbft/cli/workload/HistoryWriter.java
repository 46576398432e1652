package io.pbft.cli.workload;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Writes a history file: one JSON object per line, in the order the operations were called. */
public final class HistoryWriter implements Closeable {

    private final BufferedWriter writer;
    private long lines;

    public HistoryWriter(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    /** Writes {@code entries} sorted by call time (ties: by client), and returns how many. */
    public static long write(Path file, List<HistoryEntry> entries) throws IOException {
        List<HistoryEntry> inCallOrder = new ArrayList<>(entries);
        inCallOrder.sort(Comparator.comparingLong(HistoryEntry::callNanos).thenComparingLong(HistoryEntry::client));
        try (HistoryWriter writer = new HistoryWriter(file)) {
            for (HistoryEntry entry : inCallOrder) {
                writer.append(entry);
            }
            return writer.lines;
        }
    }

    public void append(HistoryEntry entry) throws IOException {
        writer.write(HistoryJson.toJson(entry));
        writer.write('\n');
        lines++;
    }

    public long linesWritten() {
        return lines;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
