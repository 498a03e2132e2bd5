import GRDB

/// One class of a batch's filter: its name and the structure (school) it belongs to. A cité scolaire's lycée and
/// collège may both have a "2NDE 1"; the pair tells them apart. Without a structure, the class of that name in
/// whichever structure has it: `BatchClasses.resolve` refuses that when two structures have one.
///
/// In JSON (the API's bodies and the journal's rows) a pair is `{"structure": "…", "name": "…"}`, and a plain string
/// is a class without a structure (what bodies and journal rows held before structures were told apart).
public struct BatchClass: Sendable, Hashable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// As the export names it ("0750654D - LYCEE JEAN JAURES"), or its UAI, or its `[[school]]` name; nil: any.
    public var structure: String?
    public var name: String

    public init(structure: String? = nil, name: String) {
        let trimmed = structure?.trimmingCharacters(in: .whitespaces)
        (self.structure, self.name) = (trimmed?.isEmpty == false ? trimmed : nil, name)
    }

    public init(stringLiteral name: String) { self.init(name: name) }

    /// The command line's spelling: "0750654D:2NDE 1" (structure, then the class after the first colon) or "2NDE 1".
    public init(commandLine text: String) {
        guard let colon = text.firstIndex(of: ":") else { self.init(name: text); return }
        self.init(structure: String(text[..<colon]), name: String(text[text.index(after: colon)...]))
    }

    public var description: String { structure.map { "\($0):\(name)" } ?? name }

    enum CodingKeys: String, CodingKey { case structure, name }

    public init(from decoder: any Decoder) throws {
        if let name = try? decoder.singleValueContainer().decode(String.self) { self.init(name: name); return }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            structure: try c.decodeIfPresent(String.self, forKey: .structure), name: try c.decode(String.self, forKey: .name))
    }

    public func encode(to encoder: any Encoder) throws {
        guard let structure else {
            var single = encoder.singleValueContainer()
            try single.encode(name)
            return
        }
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(structure, forKey: .structure)
        try c.encode(name, forKey: .name)
    }
}

/// How a structure asked for (a filter's, a pair's) is matched against the structures the export names.
enum StructureMatch {
    /// The export's name itself (accents, case and spaces aside); its UAI when the export writes it in the name
    /// ("0750654D - LYCEE …"); or a `[[school]]` entry (by UAI or name) that matches the export's name.
    static func matches(_ asked: String, exportName: String, configured: [SchoolStructure]) -> Bool {
        let key = Folding.key(asked)
        if key.isEmpty { return false }
        if key == Folding.key(exportName) { return true }
        if isUAI(asked), exportName.uppercased().contains(asked.uppercased()) { return true }
        return configured.contains { school in
            (school.uai.map(Folding.key) == key || Folding.key(school.name) == key) && school.matches(exportName: exportName)
        }
    }

    /// 7 digits and a letter: "0750654D".
    static func isUAI(_ text: String) -> Bool {
        let chars = Array(text.uppercased())
        return chars.count == 8 && chars.prefix(7).allSatisfy { $0.isASCII && $0.isNumber } && chars[7].isASCII
            && chars[7].isLetter
    }
}

/// A batch's classes once checked against the database: each class's key, and the structures that have it.
struct BatchClasses {
    struct Pair {
        let key: String
        let structure: String?
    }

    let pairs: [Pair]
    /// Folded class name → the export's names of the structures it belongs to, read as `Sheets.classList` reads them
    /// (from the accounts of one structure only: a teacher of both schools says nothing of either).
    /// Also filled as a whole-school batch lists its teachers of both schools (`structure(of:in:_:)`).
    private(set) var structuresOf: [String: [String]]
    let configured: [SchoolStructure]
    /// The filter's structures, if any.
    var filterStructures: [String] = []

    var keys: [String] { Array(Set(pairs.map(\.key))).sorted() }
    var isEmpty: Bool { pairs.isEmpty }

    /// Folded class names → the structures of the accounts of one structure in them, through `account_class`.
    /// Kept from one call to the next until the next import (`KnownClasses`): each class's accounts are read
    /// whole, 13,426 of them for "2NDE 3" at 1M accounts (50–60 ms, in every desk search that names a class).
    static func known(_ keys: [String], _ db: Database) throws -> [String: [String]] {
        guard !keys.isEmpty else { return [:] }
        return try KnownClasses.places(of: keys, db) { try read($0, db) }
    }

    /// Whether structures of more than one name are among `exportNames` (as `Folding.key` tells them apart): a class
    /// they have is ambiguous without its structure. Stops at the first name unlike the first (a class name has a
    /// hundred structures at 1M accounts).
    static func inSeveralStructures(_ exportNames: [String]) -> Bool {
        guard let first = exportNames.first.map(Folding.key) else { return false }
        return exportNames.dropFirst().contains { Folding.key($0) != first }
    }

    private static func read(_ keys: [String], _ db: Database) throws -> [String: [String]] {
        var structuresOf: [String: [String]] = Dictionary(uniqueKeysWithValues: keys.map { ($0, []) })
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT DISTINCT c.class_key, json_extract(a.structures, '$[0]') AS structure
                FROM account_class c JOIN account a ON a.id = c.account_id
                WHERE c.class_key IN (\(Array(repeating: "?", count: keys.count).joined(separator: ",")))
                  AND json_array_length(a.structures) = 1
                """, arguments: StatementArguments(keys))
        for row in rows {
            let key: String = row["class_key"]
            if let structure: String = row["structure"] { structuresOf[key, default: []].append(structure) }
        }
        return structuresOf
    }

    /// Reads where each class of the filter is; throws `SheetError.ambiguousClass` for a class named without a
    /// structure that two structures have (among the filter's structures, when it names some).
    static func resolve(_ filter: BatchFilter, _ db: Database) throws -> BatchClasses {
        let keys = Array(Set(filter.classes.map { Folding.key($0.name) })).sorted()
        let structuresOf = try known(keys, db)
        let configured = filter.schoolStructures
        let pairs = try filter.classes.map { asked -> Pair in
            let key = Folding.key(asked.name)
            if let structure = asked.structure { return Pair(key: key, structure: structure) }
            var candidates = Set((structuresOf[key] ?? []).map(Folding.key))
            if !filter.structures.isEmpty {
                let named = (structuresOf[key] ?? []).filter { exportName in
                    filter.structures.contains { StructureMatch.matches($0, exportName: exportName, configured: configured) }
                }
                candidates = Set(named.map(Folding.key))
            }
            guard candidates.count < 2 else {
                let names = Set(structuresOf[key] ?? []).filter { candidates.contains(Folding.key($0)) }.sorted()
                throw SheetError.ambiguousClass(name: asked.name, structures: names)
            }
            return Pair(key: key, structure: nil)
        }
        return BatchClasses(
            pairs: pairs, structuresOf: structuresOf, configured: configured, filterStructures: filter.structures)
    }

    /// Where a person's classes are: (structures, classes) groups. One group, its own, except for a parent of
    /// several structures whose children are linked: one group per child, so that a parent with a child in the
    /// lycée's "2NDE 1" and another in the collège's "3EME 2" is in neither the collège's "2NDE 1" nor the lycée's
    /// "3EME 2". A teacher of both schools stays one group: the export does not say which school's class it teaches.
    typealias Place = (structures: [String], classes: [String])

    static func places(of person: Sheet.Person, id: Int64, _ db: Database) throws -> [Place] {
        let own = [(structures: person.structures, classes: person.classes)]
        guard person.profile == .relative && person.structures.count > 1 else { return own }
        let children = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT c.structures, c.classes FROM family_link l JOIN account c ON c.id = l.child_id WHERE l.parent_id = ?"
            ),
            arguments: [id]
        ).map { (structures: AccountSummaries.decodeList($0[0]), classes: AccountSummaries.decodeList($0[1])) }
        return children.isEmpty ? own : children
    }

    /// The structure (export's name) a person's class `name` is listed under: its place's only structure; of several
    /// (a teacher of both schools), the first in name order of those the pairs, then the structure filter, then the
    /// structures known to have the class leave, else of all.
    mutating func structure(of name: String, in places: [Place], _ db: Database) throws -> String? {
        let key = Folding.key(name)
        let holding = places.filter { $0.classes.contains { Folding.key($0) == key } }
        let structures = Array(Set((holding.isEmpty ? places : holding).flatMap(\.structures)))
        if structures.count <= 1 { return structures.first }
        var candidates = structures.sorted()
        func narrow(_ keep: (String) -> Bool) {
            let kept = candidates.filter(keep)
            if !kept.isEmpty { candidates = kept }
        }
        let asked = pairs.filter { $0.key == key }.compactMap(\.structure)
        narrow { s in asked.contains { StructureMatch.matches($0, exportName: s, configured: configured) } }
        narrow { s in filterStructures.contains { StructureMatch.matches($0, exportName: s, configured: configured) } }
        if candidates.count > 1 && structuresOf[key] == nil { structuresOf.merge(try Self.known([key], db)) { a, _ in a } }
        let known = Set((structuresOf[key] ?? []).map(Folding.key))
        narrow { known.contains(Folding.key($0)) }
        return candidates.first
    }

    /// The folded names of the person's classes that the filter selects it by (empty: not selected), over its
    /// places. In a pair's structure means: one of the place's structures is that one, and, for a place of several
    /// structures (a teacher of both schools), the class is not known only in its other structures.
    func matchedKeys(_ places: [Place]) -> Set<String> {
        var matched = Set<String>()
        for place in places {
            let own = Set(place.classes.map(Folding.key))
            for pair in pairs where own.contains(pair.key) && !matched.contains(pair.key) {
                guard let asked = pair.structure else { matched.insert(pair.key); continue }
                let match = { (exportName: String) in
                    StructureMatch.matches(asked, exportName: exportName, configured: configured)
                }
                guard place.structures.contains(where: match) else { continue }
                let known = structuresOf[pair.key] ?? []
                if place.structures.count == 1 || known.isEmpty || known.contains(where: match) { matched.insert(pair.key) }
            }
        }
        return matched
    }
}
