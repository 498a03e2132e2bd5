import Foundation
import GRDB

/// The ENT console's filters for a batch of sheets. Empty lists and nil values select everyone.
public struct BatchFilter: Sendable, Equatable, Codable {
    /// Classes, each with its structure or not ("2NDE 3" of the lycée); an account matches if it is in any of them
    /// (parents are in their children's classes, teachers in the classes they teach). See `BatchClass`.
    public var classes: [BatchClass] = []
    public var profiles: [Profile] = []
    /// Levels, as `ClassLevels` reads them from class names ("2NDE", "1ERE", "TLE", "6EME", "BTS1"…).
    public var levels: [String] = []
    /// Activated or not; federated accounts are neither (they have no code to activate) and never match.
    public var activated: Bool?
    public var hasEmail: Bool?
    /// Gone from the ENT's export: false by default (a batch leaves them out unless asked); nil: everyone.
    public var gone: Bool? = false
    /// Creation date (the publipostage list's), else the day Guichet first saw the account: "yyyy-MM-dd", inclusive.
    public var createdAfter: String?
    public var createdBefore: String?
    /// Local administrators (the export's `Fonctions` holds ADMIN_LOCAL) only (true), left out (false), or both (nil).
    public var localAdmins: Bool?
    /// Structures (schools) as the export names them, their UAI, or their `[[school]]` name; an account matches if it
    /// is in any of them.
    public var structures: [String] = []
    /// The configuration's `[[school]]` entries (not a filter): a UAI or a name asked for finds the export's name.
    public var schoolStructures: [SchoolStructure] = []
    /// Which profiles sign in through a federation (the configuration's, not a filter): for `activated`.
    public var federation = Federation()
    /// How class names map to levels (the configuration's, not a filter): for `levels` and the class order.
    public var classLevels = ClassLevels.standard

    public init() {}

    enum CodingKeys: String, CodingKey {
        case classes, profiles, levels, activated, hasEmail, gone, createdAfter, createdBefore, localAdmins, structures
    }
}

extension Sheets {
    /// Throws `SheetError.ambiguousClass` when the filter names a class without its structure and two structures
    /// have one; reads nothing else. Every batch does the same check; this one lets a caller refuse a filter first.
    public static func checkClasses(_ database: GuichetDatabase, filter: BatchFilter) throws {
        guard !filter.classes.isEmpty else { return }
        _ = try database.writer.read { db in try BatchClasses.resolve(filter, db) }
    }
}

/// What a batch is sorted by before the names (last then first, French order); the name always comes last.
public enum BatchSortKey: String, Sendable, Codable, CaseIterable {
    case `class`, profile, name
}

/// One account of a batch, as selected and sorted.
struct BatchMember {
    let id: Int64
    var person: Sheet.Person
    let sortKey: String
    /// The class it is listed under: with a class filter, the first of its classes in the filter.
    let listedClass: String?
    /// The structure of that class as the export names it: the account's own, or for an account of several
    /// structures the pair's it was selected by, else the first of its structures in name order.
    var listedStructure: String? = nil
    /// `classOrder` of `listedClass`, then the structure, computed once ("\u{FFFF}" without a class: last): a cité
    /// scolaire's two "2NDE 1" print one after the other, not mixed.
    var classKey = "\u{FFFF}"
}

enum BatchSelection {
    /// The accounts the filter selects, sorted by `sort` then register order (`sort_key`, then the login).
    static func select(_ filter: BatchFilter, sort: [BatchSortKey], _ db: Database) throws -> [BatchMember] {
        var sql = "SELECT a.* FROM account a WHERE 1"
        var arguments: StatementArguments = []
        if !filter.profiles.isEmpty {
            sql += " AND a.profile IN (" + marks(filter.profiles.count) + ")"
            arguments += StatementArguments(filter.profiles.map(\.rawValue))
        }
        var batchClasses = try BatchClasses.resolve(filter, db)
        if !batchClasses.isEmpty {
            let classes = AccountConditions.amongClasses(batchClasses.keys)
            sql += classes.sql
            arguments += classes.arguments
        }
        if let activated = filter.activated { sql += AccountConditions.activated(activated, federation: filter.federation) }
        if let admins = filter.localAdmins { sql += AccountConditions.localAdmin(admins) }
        if let hasEmail = filter.hasEmail { sql += AccountConditions.hasEmail(hasEmail) }
        if let gone = filter.gone { sql += AccountConditions.gone(gone) }
        if let after = filter.createdAfter {
            sql += " AND coalesce(a.created_on, a.first_seen) >= ?"
            arguments += [after]
        }
        if let before = filter.createdBefore {
            sql += " AND coalesce(a.created_on, a.first_seen) <= ?"
            arguments += [before]
        }
        let levelKeys = Set(filter.levels.map(Folding.key))
        var members: [BatchMember] = []
        for (id, person) in try SheetPeople.load(sql: sql, arguments: arguments, db) {
            // Levels are words of the class names, which the index only holds joined ("2nde3"): checked here.
            if !levelKeys.isEmpty && !person.classes.contains(where: { levelKeys.contains(level(of: $0, filter.classLevels)) }) {
                continue
            }
            if !filter.structures.isEmpty
                && !person.structures.contains(where: { exportName in
                    filter.structures.contains {
                        StructureMatch.matches($0, exportName: exportName, configured: filter.schoolStructures)
                    }
                })
            {
                continue
            }
            var candidates = person.classes
            // A parent's children are read only for a class filter: a whole school's batch does without (a query per
            // parent of two structures), and lists such a parent under its first structure.
            let places =
                batchClasses.isEmpty
                ? [(structures: person.structures, classes: person.classes)] : try BatchClasses.places(of: person, id: id, db)
            if !batchClasses.isEmpty {
                // The index found the class names; whether in the pair's structure is checked here.
                let keys = batchClasses.matchedKeys(places)
                if keys.isEmpty { continue }
                candidates = person.classes.filter { keys.contains(Folding.key($0)) }
            }
            // Each class's order key computed once: a whole school's batch sorts thousands of members.
            let listed = candidates.map { (name: $0, key: classOrder($0, filter.classLevels)) }.min { $0.key < $1.key }
            let structure = try listed.flatMap { try batchClasses.structure(of: $0.name, in: places, db) }
            members.append(
                BatchMember(
                    id: id, person: person,
                    sortKey: Folding.sortKey(lastName: person.lastName, firstName: person.firstName),
                    listedClass: listed?.name, listedStructure: structure,
                    classKey: listed.map { $0.key + "\u{1}" + Folding.key(structure ?? "") } ?? "\u{FFFF}"))
        }
        let keys = sort.filter { $0 != .name }
        members.sort { a, b in
            for key in keys {
                let (x, y) =
                    key == .class ? (a.classKey, b.classKey) : (profileOrder(a.person.profile), profileOrder(b.person.profile))
                if x != y { return x < y }
            }
            return (a.sortKey, a.person.login) < (b.sortKey, b.person.login)
        }
        return members
    }

    /// The folded level of a class name: "2NDE 3" → "2nde", "TG2" → "tle"; a name of no level gives its first word.
    static func level(of className: String, _ levels: ClassLevels = .standard) -> String {
        levels.level(of: className).map(Folding.key) ?? Folding.words(className).first ?? ""
    }

    /// A key that sorts classes as a school lists them: by level in the table's order (6e to terminale, then the
    /// voie professionnelle, CAP and BTS), then by name with numbers compared as numbers ("2NDE 2" before "2NDE 10").
    static func classOrder(_ className: String, _ levels: ClassLevels = .standard) -> String {
        let words = Folding.words(className)
        let rank = 1000 + levels.rank(of: className)
        let padded = words.map { word in
            // Digit runs padded to 4 so that string order is numeric order.
            var out = "", digits = ""
            for c in word {
                if c.isNumber { digits.append(c); continue }
                if !digits.isEmpty { out += String(repeating: "0", count: max(0, 4 - digits.count)) + digits; digits = "" }
                out.append(c)
            }
            if !digits.isEmpty { out += String(repeating: "0", count: max(0, 4 - digits.count)) + digits }
            return out
        }
        return String(rank) + SearchIndex.keySeparator + padded.joined(separator: SearchIndex.keySeparator)
    }

    /// Students, then parents, teachers, staff and guests: the order the ENT's console lists profiles in.
    static func profileOrder(_ profile: Profile) -> String {
        String(Profile.allCases.firstIndex(of: profile) ?? 9)
    }

    private static func marks(_ n: Int) -> String {
        Array(repeating: "?", count: n).joined(separator: ",")
    }
}
