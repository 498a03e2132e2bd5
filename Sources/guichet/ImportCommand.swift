import ArgumentParser
import Foundation
import Guichet

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import the ENT's account export (or a publipostage list): all or nothing, journalled.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The CSV file exported from the ENT.") var file: String
    @Flag(help: "Print the diff as JSON.") var json = false
    @Flag(help: "Print each phase's duration to standard error.") var verbose = false
    @Option(help: "Who runs the import, for the journal.") var staff: String =
        ProcessInfo.processInfo.environment["USER"] ?? "system"

    func run() throws {
        let started = Date()
        let export: ExportFile
        do { export = try ExportFile.read(path: file) } catch { fail(error.description, code: 2) }
        let progress: (@Sendable (String) -> Void)? =
            verbose ? { @Sendable line in FileHandle.standardError.write(Data(("  " + line + "\n").utf8)) } : nil
        var cpu = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu)
        progress?(
            String(
                format: "read and checked the file: %.2f s (CPU: %.2f s all)", Date().timeIntervalSince(started),
                Double(cpu.tv_sec) + Double(cpu.tv_nsec) / 1e9))
        let summary: ImportSummary
        let separator = export.separator
        do {
            // Consumed: the import lets the parsed rows go before it writes (some 650 MB at a million rows).
            summary = try Importer.run(
                consume export, into: try database.open(), staff: staff, channel: .cli, progress: progress)
        } catch let error as ImportError {
            fail(error.description, code: 2)
        }
        if json { return try printJSON(summary) }
        let seconds = Date().timeIntervalSince(started)
        print(
            "Imported \(file) (\(summary.kind.rawValue), \(summary.encoding.rawValue), separator '\(separator)'): \(summary.rows) rows in \(String(format: "%.2f", seconds)) s"
        )
        print(
            "  added \(summary.added), changed \(summary.changed), activated \(summary.activated), gone from the feed \(summary.goneFromFeed), back in the feed \(summary.backInFeed), unchanged \(summary.unchanged)"
        )
        let links = summary.links
        print(
            "  family links: \(links.linked) (\(links.bothSides) seen from both sides, \(links.oneSide) from one side), \(links.notFound) names not found, \(links.ambiguous.count) ambiguous"
        )
        for a in links.ambiguous.prefix(20) {
            print("    ambiguous: \(a.login) names \"\(a.name)\", which could be \(a.candidates.joined(separator: ", "))")
        }
        if links.ambiguous.count > 20 { print("    … and \(links.ambiguous.count - 20) more (see --json)") }
        print("  journal entry #\(summary.journalSeq)")
    }
}
