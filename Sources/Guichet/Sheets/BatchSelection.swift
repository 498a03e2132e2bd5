import Foundation
import GRDB

/// The ENT console's filters for a batch of sheets. Empty lists and nil values select everyone.
public struct BatchFilter: Sendable, Equatable, Codable {
    /// Class names as printed ("2NDE 3"); an account matches if it is in any of them (parents are in their
    /// children's classes, teachers in the classes they teach).
    public var classes: [String] = []
    public var profiles: [Profile] = []
    /// Levels, the first word of a class name ("2NDE", "1ERE", "TLE", "6EME").
    public var levels: [String] = []
    public var activated: Bool?
    public var hasEmail: Bool?
    public var gone: Bool?
    /// Creation date (the publipostage list's), else the day Guichet first saw the account: "yyyy-MM-dd", inclusive.
    public var createdAfter: String?
    public var createdBefore: String?

    public init() {}
}

/// What a batch is sorted by before the names (last then first, French order); the name always comes last.
public enum BatchSortKey: String, Sendable, Codable, CaseIterable {
    case `class`, profile, name
}

/// One account of a batch, as selected and sorted.
struct BatchMember {
    let id: Int64
    let person: Sheet.Person
    let sortKey: String
    /// The class it is listed under: with a class filter, the first of its classes in the filter.
    let listedClass: String?
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
        let classKeys = filter.classes.map(Folding.key)
        if !classKeys.isEmpty {
            let classes = AccountConditions.inClasses(classKeys)
            sql += classes.sql
            arguments += classes.arguments
        }
        if let activated = filter.activated { sql += AccountConditions.activated(activated) }
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
            if !levelKeys.isEmpty && !person.classes.contains(where: { levelKeys.contains(level(of: $0)) }) { continue }
            let listed = classKeys.isEmpty
                ? person.classes.min(by: { classOrder($0) < classOrder($1) })
                : person.classes.filter { classKeys.contains(Folding.key($0)) }.min(by: { classOrder($0) < classOrder($1) })
            members.append(BatchMember(id: id, person: person,
                                       sortKey: Folding.sortKey(lastName: person.lastName, firstName: person.firstName),
                                       listedClass: listed))
        }
        let keys = sort.filter { $0 != .name }
        members.sort { a, b in
            for key in keys {
                let (x, y) = key == .class
                    ? (a.listedClass.map(classOrder) ?? "\u{FFFF}", b.listedClass.map(classOrder) ?? "\u{FFFF}")
                    : (profileOrder(a.person.profile), profileOrder(b.person.profile))
                if x != y { return x < y }
            }
            return (a.sortKey, a.person.login) < (b.sortKey, b.person.login)
        }
        return members
    }

    /// The folded first word of a class name: "2NDE 3" → "2nde".
    static func level(of className: String) -> String {
        Folding.words(className).first ?? ""
    }

    /// A key that sorts classes as a school lists them: by level from 6e to terminale, then by name with numbers
    /// compared as numbers ("2NDE 2" before "2NDE 10").
    static func classOrder(_ className: String) -> String {
        let words = Folding.words(className)
        let levels = ["6eme", "5eme", "4eme", "3eme", "2nde", "1ere", "tle"]
        let rank = words.first.flatMap { levels.firstIndex(of: $0) } ?? levels.count
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
        return String(rank) + "\u{1}" + padded.joined(separator: "\u{1}")
    }

    /// Students, then parents, teachers, staff and guests: the order the ENT's console lists profiles in.
    static func profileOrder(_ profile: Profile) -> String {
        String(Profile.allCases.firstIndex(of: profile) ?? 9)
    }

    private static func marks(_ n: Int) -> String {
        Array(repeating: "?", count: n).joined(separator: ",")
    }
}
