import ArgumentParser
import Foundation
import Guichet
import GuichetServer

struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal", abstract: "Check, read, export and purge the journal.",
        subcommands: [Verify.self, Show.self, Export.self, Purge.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the whole hash chain, the retention anchor and every sign-off; names the first bad row.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            do {
                let v = try database.open().verifyJournal()
                let range = v.count == 0 ? "no entries" : "\(v.count) entries (#\(v.firstSeq)…#\(v.headSeq))"
                print("journal ok: \(range), head \(v.head), \(v.signOffsChecked) sign-off(s) checked")
            } catch let error as JournalError {
                fail(error.description, code: 3)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the journal's entries, optionally one day, one member of staff, one kind of action.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var zone: TimeZoneOption
        @Option(help: "A day, YYYY-MM-DD (in the school's time zone).") var day: String?
        @Option(help: "A staff name.") var staff: String?
        @Option(help: "A kind of action, e.g. code-revealed.") var action: String?
        @Flag(help: "Print JSON lines: one object per entry, with the stored columns.") var json = false

        func run() throws {
            let filter = JournalFilter(
                day: try day.map { try parseDay($0, "--day") }, staff: staff, action: try action.map(checkAction))
            let timeZone = try zone.timeZone(database.configuration())
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let out = FileHandle.standardOutput
            var count = 0
            try database.open().writer.read { db in
                try Journal.forEach(db, filter, timeZone: timeZone) { row in
                    count += 1
                    if json { return out.write(try encoder.encode(row) + Data("\n".utf8)) }
                    let time = Timestamp.parse(row.at).map { localTime($0, timeZone) } ?? row.at
                    let target = row.target.map { "  → \($0)" } ?? ""
                    let details = row.details == "{}" ? "" : "  \(row.details)"
                    out.write(
                        Data("#\(row.seq)  \(time)  \(row.staff ?? "-")  \(row.channel)  \(row.action)\(target)\(details)\n".utf8)
                    )
                }
            }
            if !json && count == 0 { print("No journal entry matches.") }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the entries of a range of days, with their hashes (journalled).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var zone: TimeZoneOption
        @Option(help: "The first day, YYYY-MM-DD.") var from: String
        @Option(help: "The last day, YYYY-MM-DD (included).") var to: String
        @Option(help: "csv or json.") var format: String
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

        func run() throws {
            let (first, last) = (try parseDay(from, "--from"), try parseDay(to, "--to"))
            guard first <= last else { throw ValidationError("--from must not be after --to") }
            guard let format = JournalExportFormat(rawValue: format) else {
                throw ValidationError("--format must be csv or json")
            }
            let handle: FileHandle
            if let output {
                // Created before the export, so that a path that cannot be written fails before anything is journalled.
                do { handle = try PrivateFile.open(output) } catch { fail("\(error)") }
            } else {
                handle = .standardOutput
            }
            let export = try Journal.export(
                try database.open(), from: first, to: last, format: format, staff: operatorName(),
                channel: .cli, timeZone: try zone.timeZone(database.configuration())
            ) { try handle.write(contentsOf: Data($0.utf8)) }
            try handle.close()
            FileHandle.standardError.write(
                Data(
                    "exported \(export.rows) entries (\(export.from) to \(export.to), \(export.format)); the export is journalled\n"
                        .utf8))
        }
    }

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Remove whole days older than keep_months (6 to 12, the CNIL's recommendation); journalled. Nothing is removed unless keep_months is set."
        )
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var zone: TimeZoneOption
        @Option(
            name: .customLong("keep-months"),
            help: "Months to keep (env GUICHET_JOURNAL_KEEP_MONTHS, else the configuration's [journal] keep_months).")
        var keepMonths: Int?

        func run() throws {
            guard
                let months = keepMonths ?? ProcessInfo.processInfo.environment["GUICHET_JOURNAL_KEEP_MONTHS"].flatMap(Int.init)
                    ?? database.configuration().journal.keepMonths
            else {
                print(
                    "keep_months is not set (--keep-months, GUICHET_JOURNAL_KEEP_MONTHS or [journal] keep_months): nothing purged."
                )
                return
            }
            do {
                let purge = try Journal.purge(
                    try database.open(), keepMonths: months, staff: operatorName(), channel: .cli,
                    timeZone: try zone.timeZone(database.configuration()))
                if let first = purge.firstKeptSeq {
                    print("purged \(purge.removed) entries before \(purge.before); the journal now starts at #\(first)")
                } else {
                    print("nothing older than \(purge.before) to purge")
                }
            } catch let error as JournalRetentionError {
                throw ValidationError(error.description)
            }
        }
    }
}

/// The school's time zone: days and hours are the school's, the journal's instants are UTC.
struct TimeZoneOption: ParsableArguments {
    @Option(
        name: .customLong("time-zone"),
        help: "The school's time zone (env GUICHET_TIME_ZONE; else [school] time_zone, as serve reads it; default Europe/Paris).")
    var identifier: String?

    /// The flag, else the environment, else the configuration file's `[school] time_zone` (what `serve` uses).
    func timeZone(_ configuration: @autoclosure () -> GuichetConfiguration) throws -> TimeZone {
        guard let name = identifier ?? ProcessInfo.processInfo.environment["GUICHET_TIME_ZONE"] else {
            return configuration().school.timeZone
        }
        guard let zone = TimeZone(identifier: name) else { throw ValidationError("unknown time zone \"\(name)\"") }
        return zone
    }
}

func parseDay(_ text: String, _ option: String) throws -> JournalDay {
    guard let day = JournalDay(text) else { throw ValidationError("\(option) must be a day, YYYY-MM-DD (not \"\(text)\")") }
    return day
}

func checkAction(_ text: String) throws -> String {
    guard JournalAction(rawValue: text) != nil else {
        throw ValidationError(
            "unknown action \"\(text)\"; one of: " + JournalAction.allCases.map(\.rawValue).joined(separator: ", "))
    }
    return text
}

/// "2026-11-21 09:31:05" in the school's time zone.
func localTime(_ date: Date, _ zone: TimeZone) -> String {
    date.formatted(
        Date.VerbatimFormatStyle(
            format:
                "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits)",
            timeZone: zone, calendar: Calendar(identifier: .gregorian)))
}
