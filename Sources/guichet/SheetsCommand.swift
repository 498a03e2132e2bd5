import ArgumentParser
import Foundation
import Guichet

/// `guichet sheets`: a batch of credential sheets (PDF) or the same selection as the console's CSV, journalled.
struct SheetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sheets",
        abstract: "Print a batch of credential sheets (PDF, 1, 2 or 8 per page) or export the selection as CSV.",
        discussion: "Example: guichet sheets --class \"2NDE 3\" --per-page 8 --sort class -o 2nde3.pdf")

    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("class"), help: "A class, e.g. \"2NDE 3\" (repeatable).") var classes: [String] = []
    @Option(name: .customLong("profile"), help: "student, relative, teacher, personnel or guest (repeatable).") var profiles: [String] = []
    @Option(name: .customLong("level"), help: "A level, the first word of class names: 2NDE, 1ERE, TLE, 6EME… (repeatable).") var levels: [String] = []
    @Option(help: "yes, no or all.") var activated = "all"
    @Option(name: .customLong("has-email"), help: "yes, no or all.") var hasEmail = "all"
    @Option(help: "Gone from the ENT's feed: yes, no or all.") var gone = "all"
    @Option(name: .customLong("created-after"), help: "YYYY-MM-DD, inclusive (creation date, else first seen).") var createdAfter: String?
    @Option(name: .customLong("created-before"), help: "YYYY-MM-DD, inclusive.") var createdBefore: String?
    @Option(name: .customLong("per-page"), help: "1, 2 or 8 sheets per page.") var perPage = 1
    @Option(help: "class or profile (then the name, always); repeatable.") var sort: [String] = []
    @Option(name: .shortAndLong, help: "The PDF to write.") var output: String?
    @Option(help: "Also (or only) write the selection as the console's CSV.") var csv: String?
    @Option(name: .customLong("school-name"), help: "The school's name printed on each sheet.") var schoolName = "Lycée Jean-Jaurès"
    @Option(name: .customLong("ent-url"), help: "The ENT's address printed on each sheet.") var entURL = "https://ent.example.org"
    @Option(name: .customLong("federated"), help: "e.g. relative=EduConnect (repeatable): those sheets carry no code.") var federated: [String] = []
    @Option(name: .customLong("sheet-language"), help: "fr or en.") var sheetLanguage = "fr"

    func validate() throws {
        guard output != nil || csv != nil else { throw ValidationError("give -o FILE.pdf, --csv FILE.csv or both") }
        guard SheetsPerPage(rawValue: perPage) != nil else { throw ValidationError("--per-page must be 1, 2 or 8") }
        guard SheetLanguage(rawValue: sheetLanguage) != nil else { throw ValidationError("--sheet-language must be fr or en") }
    }

    func run() throws {
        var filter = BatchFilter()
        filter.classes = classes
        filter.levels = levels
        filter.profiles = try profiles.map { name in
            guard let p = Profile(option: name) else { throw ValidationError("--profile must be student, relative, teacher, personnel or guest (not \"\(name)\")") }
            return p
        }
        filter.activated = try yesNoAll(activated, "--activated")
        filter.hasEmail = try yesNoAll(hasEmail, "--has-email")
        filter.gone = try yesNoAll(gone, "--gone")
        for (day, option) in [(createdAfter, "--created-after"), (createdBefore, "--created-before")] {
            if let day, day.count != 10 || day.split(separator: "-").count != 3 { throw ValidationError("\(option) is YYYY-MM-DD") }
        }
        (filter.createdAfter, filter.createdBefore) = (createdAfter, createdBefore)
        let sortKeys = try (sort.isEmpty ? ["class"] : sort).map { key in
            guard let k = BatchSortKey(rawValue: key) else { throw ValidationError("--sort must be class, profile or name") }
            return k
        }
        let settings = SheetSettings(schoolName: schoolName, entURL: entURL, federated: try federations(federated),
                                     language: SheetLanguage(rawValue: sheetLanguage)!)
        let db = try database.open()
        let started = Date()
        do {
            if let output {
                let batch = try Sheets.batch(db, filter: filter, sort: sortKeys, perPage: SheetsPerPage(rawValue: perPage)!,
                                             staff: operatorName(), channel: .cli, settings: settings)
                try Data(batch.bytes).write(to: URL(fileURLWithPath: output))
                print("Wrote \(output): \(batch.logins.count) sheets, \(perPage) per page, in \(String(format: "%.2f", Date().timeIntervalSince(started))) s — journal entry #\(batch.number)")
            }
            if let csv {
                let list = try Sheets.batchCSV(db, filter: filter, sort: sortKeys, staff: operatorName(), channel: .cli)
                try Data(list.bytes).write(to: URL(fileURLWithPath: csv))
                print("Wrote \(csv): \(list.logins.count) accounts — journal entry #\(list.number)")
            }
        } catch SheetError.emptyBatch {
            fail("no account matches these filters; nothing written", code: 2)
        }
    }

    private func yesNoAll(_ value: String, _ option: String) throws -> Bool? {
        switch value.lowercased() {
        case "all", "tous": nil
        case "yes", "oui": true
        case "no", "non": false
        default: throw ValidationError("\(option) must be yes, no or all (not \"\(value)\")")
        }
    }
}

/// Reads `--federated profile=Service` values.
func federations(_ options: [String]) throws -> [Profile: String] {
    var map: [Profile: String] = [:]
    for option in options {
        guard let (profile, service) = SheetSettings.federation(option) else {
            throw ValidationError("--federated takes profile=Service, e.g. relative=EduConnect (not \"\(option)\")")
        }
        map[profile] = service
    }
    return map
}
