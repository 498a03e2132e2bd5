import Foundation
import GRDB

/// A batch of sheets: its PDF, or its CSV, and the journal row that lists the accounts.
public struct BatchOutput: Sendable {
    public let bytes: [UInt8]
    /// The logins in the order printed.
    public let logins: [String]
    /// The `batch-printed` (or `batch-exported`) row's seq; the sheets are numbered "seq-1", "seq-2"…
    public let number: Int64
}

/// The journal details of a batch row: the selection, and every account it printed.
struct BatchDetails: Encodable {
    let filter: BatchFilter
    let sort: [BatchSortKey]
    let perPage: Int?
    let format: String
    let count: Int
    let logins: [String]
    /// Left out because the ENT says they are blocked (a checked batch only).
    var blockedInENT: [String]? = nil
    /// "checked" when the ENT was asked about every account first (batches of up to 50), else absent.
    var ent: String? = nil
}

extension Sheets {
    /// Renders the sheets of every account the filter selects, sorted, `perPage` to a page, and appends one
    /// `batch-printed` row listing their logins, in the same transaction. Throws `SheetError.emptyBatch` when the
    /// filter selects nobody (nothing is journalled then).
    public static func batch(
        _ database: GuichetDatabase, filter: BatchFilter, sort: [BatchSortKey], perPage: SheetsPerPage,
        staff: String, channel: Channel, settings: SheetSettings, now: Date = Date(),
        ent: [String: ENTCheck]? = nil
    ) throws -> BatchOutput {
        try database.writer.write { db in
            var members = try BatchSelection.select(filter, sort: sort, db)
            // With the ENT's answers (a batch of up to 50): its state wins, and blocked accounts get no sheet.
            var blocked: [String] = []
            if let ent {
                members = members.compactMap { member in
                    guard case .checked(let live)? = ent[member.person.login] else { return member }
                    if live.blocked { blocked.append(member.person.login); return nil }
                    var member = member
                    member.person.activationCode = live.activationCode
                    return member
                }
            }
            guard !members.isEmpty else { throw SheetError.emptyBatch }
            let logins = members.map(\.person.login)
            let seq = try Journal.append(
                db,
                JournalEntry(
                    staff: staff, channel: channel, action: .batchPrinted,
                    details: BatchDetails(
                        filter: filter, sort: sort, perPage: perPage.rawValue, format: "pdf",
                        count: logins.count, logins: logins, blockedInENT: ent == nil ? nil : blocked,
                        ent: ent.map(Self.entSummary))), at: now)
            let dataDate = try SheetPeople.dataDate(db)
            let sheets = members.enumerated().map { index, member in
                var stamp = Sheet.Stamp(number: "\(seq)-\(index + 1)", printedAt: now, dataDate: dataDate)
                if case .checked(let live)? = ent?[member.person.login] { stamp.entCheckedAt = live.checkedAt }
                return Sheet(person: member.person, settings: settings, stamp: stamp)
            }
            let title = settings.language.text.number(String(seq))
            return BatchOutput(
                bytes: try SheetRenderer.render(sheets, perPage: perPage, settings: settings, title: title),
                logins: logins, number: seq)
        }
    }

    /// "checked" when the ENT answered for every account; else the first reason it did not ("unavailable: …").
    static func entSummary(_ answers: [String: ENTCheck]) -> String {
        let missing = answers.values.compactMap { if case .unavailable = $0 { $0.journalValue } else { nil } }
        return missing.isEmpty ? "checked" : "\(missing.count) of \(answers.count) \(missing.sorted()[0])"
    }

    /// The same selection as the ENT console's publipostage list (`Nom;Prénom;Profil;Login;Code d'activation;
    /// Courriel;Classe;Date de création`), journalled as `batch-exported` with its logins.
    public static func batchCSV(
        _ database: GuichetDatabase, filter: BatchFilter, sort: [BatchSortKey], staff: String,
        channel: Channel, now: Date = Date()
    ) throws -> BatchOutput {
        try database.writer.write { db in
            let members = try BatchSelection.select(filter, sort: sort, db)
            guard !members.isEmpty else { throw SheetError.emptyBatch }
            let logins = members.map(\.person.login)
            let seq = try Journal.append(
                db,
                JournalEntry(
                    staff: staff, channel: channel, action: .batchExported,
                    details: BatchDetails(
                        filter: filter, sort: sort, perPage: nil, format: "csv", count: logins.count,
                        logins: logins)), at: now)
            // A federated account's code (the ENT makes one for every account) is never handed over, here neither.
            let people = members.map { member in
                var person = member.person
                if filter.federation.isFederated(person.profile) { person.activationCode = nil }
                return person
            }
            return BatchOutput(bytes: PublipostageCSV.write(people), logins: logins, number: seq)
        }
    }
}

/// The ENT console's publipostage list, which our importer reads back: UTF-8 with a BOM, `;`, every value quoted,
/// LF, dates `dd/MM/yyyy`, French profile names.
enum PublipostageCSV {
    static let header = ["Nom", "Prénom", "Profil", "Login", "Code d'activation", "Courriel", "Classe", "Date de création"]

    static func write(_ people: [Sheet.Person]) -> [UInt8] {
        var text = "\u{FEFF}" + line(header)
        for p in people {
            text += line([
                p.lastName, p.firstName, SheetText.french.profile(p.profile), p.login, p.activationCode ?? "",
                p.email ?? "", p.classes.joined(separator: ", "), p.createdOn.map(frenchDay) ?? ""
            ])
        }
        return Array(text.utf8)
    }

    /// Inner quotes are dropped rather than escaped: the ENT never escapes them, and readers of its files (ours
    /// included) take a doubled quote literally. No ENT name, login or class holds one.
    private static func line(_ values: [String]) -> String {
        values.map { "\"" + CSVCell.neutralised($0).replacingOccurrences(of: "\"", with: "") + "\"" }.joined(separator: ";")
            + "\n"
    }

    /// "2026-03-16" → "16/03/2026".
    private static func frenchDay(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        guard parts.count == 3 else { return iso }
        return "\(parts[2])/\(parts[1])/\(parts[0])"
    }
}

/// One account of a batch preview: who, and the class it is listed under in the batch.
public struct BatchPreviewEntry: Sendable, Equatable, Encodable {
    public let login: String
    public let lastName: String
    public let firstName: String
    public let profile: Profile
    /// With a class filter, the first of its classes in the filter; else its first class in school order.
    public let `class`: String?
    /// That class's structure, as the export names it (the kiosk names it when two structures have the class).
    public var structure: String? = nil
}

extension Sheets {
    /// The accounts a batch would print, in order, without printing or journalling anything (the reviewer's preview).
    public static func preview(_ database: GuichetDatabase, filter: BatchFilter, sort: [BatchSortKey]) throws
        -> [BatchPreviewEntry]
    {
        try database.writer.read { db in
            try BatchSelection.select(filter, sort: sort, db).map { m in
                BatchPreviewEntry(
                    login: m.person.login, lastName: m.person.lastName, firstName: m.person.firstName,
                    profile: m.person.profile, class: m.listedClass, structure: m.listedStructure)
            }
        }
    }

    /// Every class name the accounts carry (gone ones included: a batch may select them), one spelling per class
    /// (the most frequent), in the order a school lists them: levels from 6e to terminale, numbers as numbers.
    public static func classNames(_ database: GuichetDatabase, levels: ClassLevels = .standard) throws -> [String] {
        classNames(of: try classList(database, levels: levels), levels: levels)
    }

    /// The class names of a class list (`classList`), each once, in school order.
    public static func classNames(of entries: [ClassEntry], levels: ClassLevels = .standard) -> [String] {
        var seen = Set<String>()
        return entries.map(\.name).filter { seen.insert(Folding.key($0)).inserted }
            .map { (order: BatchSelection.classOrder($0, levels), name: $0) }.sorted { $0.order < $1.order }.map(\.name)
    }

    /// The structures (`Établissements`) the accounts still in the export carry, as the export names them.
    public static func exportStructures(_ database: GuichetDatabase) throws -> [String] {
        try database.writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT j.value FROM account a, json_each(a.structures) j
                    WHERE a.gone_since IS NULL AND j.type = 'text' ORDER BY 1
                    """)
        }
    }

    /// Each class name as accounts spell it, with their structure when they have one, and how many: read from every
    /// account (3 s at 1M accounts), kept until the next import (`ImportScoped`).
    struct ClassRow: Sendable {
        let name: String
        let structure: String?
        let count: Int
        /// `Folding.key` of the name and of the structure.
        let nameKey: String
        let structureKey: String?

        init(name: String, structure: String?, count: Int) {
            (self.name, self.structure, self.count) = (name, structure, count)
            (nameKey, structureKey) = (Folding.key(name), structure.map(Folding.key))
        }
    }
    static let classRows = ImportScoped<[ClassRow]>()

    /// Every class, per structure: a cité scolaire's two "2NDE 1" stay two classes. A class belongs to the structure
    /// of the accounts in it that have only one (a teacher of both schools says nothing about either); sorted in
    /// school order, a name's structures side by side. `structures` (the `[[school]]` entries) name them shortly.
    public static func classList(
        _ database: GuichetDatabase, levels: ClassLevels = .standard, structures: [SchoolStructure] = []
    ) throws -> [ClassEntry] {
        try database.writer.read { db in
            let rows = try classRows.value(db) {
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT j.value AS name,
                               CASE WHEN json_array_length(a.structures) = 1 THEN json_extract(a.structures, '$[0]') END AS structure,
                               count(*) AS n
                        FROM account a, json_each(a.classes) j
                        WHERE j.type = 'text' AND trim(j.value) <> '' GROUP BY 1, 2
                        """
                ).map { ClassRow(name: $0["name"], structure: $0["structure"], count: $0["n"]) }
            }
            // Classes seen only through accounts of several structures are attached to no structure.
            var structuresOf: [String: Set<String>] = [:]
            for row in rows {
                guard let structureKey = row.structureKey else { continue }
                structuresOf[row.nameKey, default: []].insert(structureKey)
            }
            let short = shortNames(Array(Set(rows.compactMap(\.structure))), configured: structures)
            var best: [String: ClassRow] = [:]
            for row in rows {
                let key = row.nameKey
                if key.isEmpty { continue }
                if row.structure == nil && !(structuresOf[key] ?? []).isEmpty { continue }
                let slot = (row.structureKey ?? "") + SearchIndex.keySeparator + key
                if let seen = best[slot], seen.count > row.count || (seen.count == row.count && seen.name <= row.name) {
                    continue
                }
                best[slot] = row
            }
            // Each entry's order computed once, not at each comparison (ten thousand classes at 1M accounts).
            return best.values.map { row -> (order: (String, String), entry: ClassEntry) in
                let entry = ClassEntry(
                    name: row.name, level: levels.level(of: row.name), structure: row.structure,
                    structureShort: row.structure.flatMap { short[$0] })
                return ((BatchSelection.classOrder(row.name, levels), row.structureKey ?? ""), entry)
            }.sorted { $0.order < $1.order }.map(\.entry)
        }
    }

    /// A short name per structure, for a class chip that must say which school's "2NDE 1" it is: the `[[school]]`
    /// name (else the export's, without its UAI), cut to its first word when that tells the structures apart
    /// ("Lycée", "Collège"), else without the words all names begin with ("Jean-Jaurès", "Marie-Curie"), else whole
    /// (with the UAI when nothing else differs).
    static func shortNames(_ exportNames: [String], configured: [SchoolStructure]) -> [String: String] {
        let full = exportNames.map { exportName -> [Substring] in
            if let school = configured.first(where: { $0.matches(exportName: exportName) }) {
                return school.name.split(separator: " ")
            }
            // "0750654D - LYCEE JEAN JAURES" → "LYCEE JEAN JAURES".
            let words = exportName.split(separator: " ")
            if let first = words.first, StructureMatch.isUAI(String(first)) {
                let rest = words.dropFirst().drop { $0 == "-" }
                if !rest.isEmpty { return Array(rest) }
            }
            return words
        }
        func distinct(_ names: [[Substring]]) -> Bool {
            !names.contains(where: \.isEmpty) && Set(names.map { Folding.key($0.joined(separator: " ")) }).count == names.count
        }
        var short = full.map { Array($0.prefix(1)) }
        if !distinct(short) {
            var common = 0
            while let word = full.first?.dropFirst(common).first,
                full.allSatisfy({ $0.count > common + 1 && Folding.key(String($0[common])) == Folding.key(String(word)) })
            {
                common += 1
            }
            short = full.map { Array($0.dropFirst(common)) }
            if !distinct(short) { short = full }
            // The same name under two UAIs: only the export's own names differ.
            if !distinct(short) { short = exportNames.map { $0.split(separator: " ") } }
        }
        return Dictionary(
            zip(exportNames, short.map { $0.joined(separator: " ") }).map { ($0, $1) }, uniquingKeysWith: { a, _ in a })
    }
}

/// One class of the school, as the batch screen lists it.
public struct ClassEntry: Sendable, Equatable, Encodable {
    public let name: String
    /// Its level ("2NDE", "TLE", "BTS1"…), nil when the table knows none.
    public let level: String?
    /// The structure (school) as the export names it, nil when not known.
    public let structure: String?
    /// Its short name ("Lycée", "Collège"), for a chip whose class name another structure has too.
    public var structureShort: String? = nil
}
