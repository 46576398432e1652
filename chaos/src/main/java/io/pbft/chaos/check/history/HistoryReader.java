package io.pbft.chaos.check.history;

import io.pbft.cli.workload.HistoryEntry;
import io.pbft.cli.workload.HistoryParser;
import io.pbft.cli.workload.MalformedHistoryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a history file of {@code pbft workload --history} ({@code docs/history.md}). */
public final class HistoryReader {

    private HistoryReader() {}

    /**
     * Every operation of {@code file}, in file order. Blank lines are skipped (a file cut short
     * and resumed, or edited by hand); any other line that is not a valid entry is an error.
     *
     * @throws MalformedHistoryException naming the file and line of the first bad line
     * @throws IOException when the file cannot be read
     */
    public static List<HistoryLine> read(Path file) throws IOException {
        List<HistoryLine> lines = new ArrayList<>();
        long number = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (!line.isBlank()) {
                    lines.add(new HistoryLine(number, parse(file, number, line)));
                }
            }
        } catch (CharacterCodingException e) {
            // The reader fails while filling its buffer, possibly ahead of the line last returned.
            throw new MalformedHistoryException(file + " after line " + number + ": not UTF-8 text");
        }
        return lines;
    }

    private static HistoryEntry parse(Path file, long number, String line)
            throws MalformedHistoryException {
        try {
            return HistoryParser.parse(line);
        } catch (MalformedHistoryException e) {
            throw new MalformedHistoryException(file + " line " + number + ": " + e.getMessage());
        }
    }
}
