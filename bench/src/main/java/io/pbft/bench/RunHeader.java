package io.pbft.bench;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** What every results file opens with: the command as typed, when it ran, and on what machine. */
record RunHeader(String command, String date, MachineInfo machine) {

    /** The command line of {@code spec}, the date, and the machine: call it before the replicas load the machine. */
    static RunHeader capture(CommandSpec spec) {
        return new RunHeader(BenchSupport.commandText(spec),
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), MachineInfo.detect());
    }

    /** The file's title, then the command, date, machine and {@code setup} as list items. */
    String markdown(String title, List<String> setup) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append("- command: `").append(command).append("`\n");
        md.append("- date: ").append(date).append('\n');
        md.append(machine.markdown());
        setup.forEach(line -> md.append("- ").append(line).append('\n'));
        return md.toString();
    }
}
