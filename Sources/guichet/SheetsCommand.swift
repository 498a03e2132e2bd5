import ArgumentParser
import Foundation
import Guichet
import GuichetServer

/// `guichet sheets`: a batch of credential sheets (PDF) or the same selection as the console's CSV, journalled.
struct SheetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sheets",
        abstract: "Print a batch of credential sheets (PDF, 1, 2 or 8 per page) or export the selection as CSV.",
        discussion: """
            Example: guichet sheets --class "2NDE 3" --per-page 8 --sort class -o 2nde3.pdf
            In a cité scolaire, a class name two structures have is named with its structure: --class "0750654D:2NDE 1" \
            (UAI, [[school]] name or the export's name, then a colon), or --structure 0750654D --class "2NDE 1".
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(
        name: .customLong("class"),
        help: "A class, e.g. \"2NDE 3\", or \"STRUCTURE:2NDE 3\" when several structures have one (repeatable).")
    var classes: [String] = []
    @Option(name: .customLong("profile"), help: "student, relative, teacher, personnel or guest (repeatable).") var profiles:
        [String] = []
    @Option(name: .customLong("level"), help: "A level, the first word of class names: 2NDE, 1ERE, TLE, 6EME… (repeatable).")
    var levels: [String] = []
    @Option(help: "yes, no or all.") var activated = "all"
    @Option(name: .customLong("has-email"), help: "yes, no or all.") var hasEmail = "all"
    @Option(help: "Gone from the ENT's feed: yes, no (the default: gone accounts are left out) or all.") var gone = "no"
    @Option(name: .customLong("local-admins"), help: "Local administrators (Fonctions ADMIN_LOCAL): yes, no or all.")
    var localAdmins = "all"
    @Option(name: .customLong("structure"), help: "A structure (school) as the export names it, or its UAI (repeatable).")
    var structures: [String] = []
    @Option(name: .customLong("created-after"), help: "YYYY-MM-DD, inclusive (creation date, else first seen).") var createdAfter:
        String?
    @Option(name: .customLong("created-before"), help: "YYYY-MM-DD, inclusive.") var createdBefore: String?
    @Option(name: .customLong("per-page"), help: "1, 2 or 8 sheets per page.") var perPage = 1
    @Option(help: "class or profile (then the name, always); repeatable.") var sort: [String] = []
    @Option(name: .shortAndLong, help: "The PDF to write.") var output: String?
    @Option(help: "Also (or only) write the selection as the console's CSV.") var csv: String?
    @Flag(help: "E-mail each selected account its sheet, at the address on file ([mail]); asks for confirmation.") var email =
        false
    @Flag(help: "With --email: do not ask for confirmation.") var yes = false
    @Flag(
        name: .customLong("queue-only"),
        help: "With --email: only queue the messages; guichet serve (or mail send-pending) sends them.")
    var queueOnly = false
    @OptionGroup var sheet: SheetOptions

    func validate() throws {
        guard output != nil || csv != nil || email else {
            throw ValidationError("give -o FILE.pdf, --csv FILE.csv, --email, or several")
        }
        guard SheetsPerPage(rawValue: perPage) != nil else { throw ValidationError("--per-page must be 1, 2 or 8") }
    }

    func run() throws {
        var filter = BatchFilter()
        filter.classes = classes.map(BatchClass.init(commandLine:))
        filter.levels = levels
        filter.profiles = try profiles.map { name in
            guard let p = Profile(option: name) else {
                throw ValidationError("--profile must be student, relative, teacher, personnel or guest (not \"\(name)\")")
            }
            return p
        }
        filter.activated = try yesNoAll(activated, "--activated")
        filter.hasEmail = try yesNoAll(hasEmail, "--has-email")
        filter.gone = try yesNoAll(gone, "--gone")
        filter.localAdmins = try yesNoAll(localAdmins, "--local-admins")
        filter.structures = structures
        for (day, option) in [(createdAfter, "--created-after"), (createdBefore, "--created-before")] {
            if let day, day.count != 10 || day.split(separator: "-").count != 3 {
                throw ValidationError("\(option) is YYYY-MM-DD")
            }
        }
        (filter.createdAfter, filter.createdBefore) = (createdAfter, createdBefore)
        let sortKeys = try (sort.isEmpty ? ["class"] : sort).map { key in
            guard let k = BatchSortKey(rawValue: key) else { throw ValidationError("--sort must be class, profile or name") }
            return k
        }
        let configuration: GuichetConfiguration
        do { configuration = try database.configuration().applying(try sheet.overrides()) } catch let error as ConfigurationErrors
        {
            fail(error.description, code: 78)
        }
        var settings = SheetSettings(
            schoolName: configuration.school.name, entURL: configuration.ent.url,
            entName: configuration.ent.name, federation: configuration.ent.federated,
            language: configuration.print.sheetLanguage)
        filter.federation = configuration.ent.federated
        (filter.classLevels, filter.schoolStructures) = (configuration.school.classLevels, configuration.school.structures)
        (settings.previousENTs, settings.structures, settings.classLevels) = (
            configuration.ent.previous, configuration.school.structures, configuration.school.classLevels
        )
        let db = try GuichetDatabase(path: database.databasePath(in: configuration), access: .command)
        do { try configuration.checkStructures(against: Sheets.exportStructures(db)) } catch let error as ConfigurationErrors {
            fail(error.description, code: 78)
        }
        do { try Sheets.checkClasses(db, filter: filter) } catch let error as SheetError { fail(error.description, code: 64) }
        if email {
            try sendByEmail(filter: filter, sort: sortKeys)
            if output == nil && csv == nil { return }
        }
        let started = Date()
        do {
            if let output {
                // With the ENT connected, a batch of up to 50 is checked with it first, as at the desk.
                var ent: [String: ENTCheck]?
                if let connection = entSettings(configuration) {
                    let logins = try Sheets.preview(db, filter: filter, sort: sortKeys).map(\.login)
                    if logins.count <= Sheets.entCheckedBatchLimit {
                        ent = Sheets.askENT(
                            db, logins: logins,
                            session: ENTSession(settings: connection, memory: ENTSignInMemory(besideDatabase: db.path)))
                        let blocked = logins.filter { if case .checked(let live)? = ent?[$0] { live.blocked } else { false } }
                        if !blocked.isEmpty { print("Blocked in the ENT, no sheet: \(blocked.joined(separator: ", "))") }
                    }
                }
                let batch = try Sheets.batch(
                    db, filter: filter, sort: sortKeys, perPage: SheetsPerPage(rawValue: perPage)!,
                    staff: operatorName(), channel: .cli, settings: settings, ent: ent)
                try PrivateFile.write(batch.bytes, to: output)
                print(
                    "Wrote \(output): \(batch.logins.count) sheets, \(perPage) per page, in \(String(format: "%.2f", Date().timeIntervalSince(started))) s — journal entry #\(batch.number)"
                )
            }
            if let csv {
                let list = try Sheets.batchCSV(db, filter: filter, sort: sortKeys, staff: operatorName(), channel: .cli)
                try PrivateFile.write(list.bytes, to: csv)
                print("Wrote \(csv): \(list.logins.count) accounts — journal entry #\(list.number)")
            }
        } catch SheetError.emptyBatch {
            fail("no account matches these filters; nothing written", code: 2)
        }
    }

    /// The confirmation, then the outbox: how many will be sent, how many have no address; queued in one
    /// transaction with its `mail-queued` row, then sent here with a progress bar unless `--queue-only`.
    private func sendByEmail(filter: BatchFilter, sort: [BatchSortKey]) throws {
        let (db, sender) = try openSender(database, sheet: sheet)
        let preview = try Mailing.preview(db, filter: filter, sort: sort)
        print(
            "\(preview.toSend.count) e-mail(s) to send; \(preview.withoutAddress.count) selected account(s) have no address and get none."
        )
        guard !preview.toSend.isEmpty else { fail("nobody to e-mail; nothing queued", code: 2) }
        if !yes {
            FileHandle.standardOutput.write(Data("Send them? [y/N] ".utf8))
            guard let answer = readLine()?.lowercased(), ["y", "yes", "o", "oui"].contains(answer) else {
                print("Nothing sent.")
                return
            }
        }
        let queued = try Mailing.queueBatch(db, filter: filter, sort: sort, staff: operatorName(), channel: .cli)
        print(
            "Batch \(queued.batch): \(queued.queued) e-mail(s) queued — journal entry #\(queued.journalSeq); result: guichet mail report \(queued.batch) --csv"
        )
        if !queueOnly { try send(with: sender, db: db, wait: true) }
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

/// What a sheet says about the school, shared by `serve` and `sheets`: each flag overrides its configuration key.
struct SheetOptions: ParsableArguments {
    @Option(name: .customLong("school-name"), help: "The school's name ([school] name).") var schoolName: String?
    @Option(name: .customLong("ent-url"), help: "The ENT's address, printed on sheets ([ent] url).") var entURL: String?
    @Option(name: .customLong("ent-name"), help: "The ENT's own name, e.g. MonLycée.net ([ent] name).") var entName: String?
    @Option(
        name: .customLong("federated"),
        help:
            "A profile that signs in through a federation, e.g. relative=EduConnect,FranceConnect or teacher=academy (repeatable; replaces [ent] federated): no login, no code, no renewal."
    )
    var federated: [String] = []
    @Option(name: .customLong("sheet-language"), help: "fr or en: the wording of the sheets ([print] sheet_language).")
    var sheetLanguage: String?

    func overrides() throws -> [GuichetConfiguration.Override] {
        typealias O = GuichetConfiguration.Override
        var list: [O] = []
        if let schoolName { list.append(O("--school-name", "school.name", .string(schoolName))) }
        if let entURL { list.append(O("--ent-url", "ent.url", .string(entURL))) }
        if let entName { list.append(O("--ent-name", "ent.name", .string(entName))) }
        if !federated.isEmpty {
            var table: [String: ConfigurationValue] = [:]
            for option in federated {
                let parts = option.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else {
                    throw ValidationError("--federated takes profile=Service, e.g. relative=EduConnect (not \"\(option)\")")
                }
                table[parts[0]] = .array(parts[1].split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) })
            }
            list.append(O("--federated", "ent.federated", .table(table)))
        }
        if let sheetLanguage { list.append(O("--sheet-language", "print.sheet_language", .string(sheetLanguage))) }
        return list
    }
}
