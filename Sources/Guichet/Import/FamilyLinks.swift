import GRDB
import SQLiteBulk

/// Rebuilds parent–child links from the export's display names ("Prénom Nom" in `Enfants` and `Parents`).
///
/// A link seen from both sides (the parent lists the child and the child lists the parent) is made. A link seen
/// from one side only is made when the name it gives is unique among the accounts of that profile in the school
/// (accounts sharing a structure). Anything else is reported as ambiguous, never guessed.
struct FamilyLinks {
    /// A class: the candidate lists below hold references, not copies of every array.
    final class Person: Sendable {
        let id: Int64
        let login: String
        let profile: Profile
        let displayKey: String
        /// Usually one school: an array, not a set (a million sets cost more than the comparisons).
        let structures: [String]
        let children: [String]
        let parents: [String]
        /// `children` and `parents` folded, once.
        let childKeys: [String]
        let parentKeys: [String]

        init(id: Int64, login: String, profile: Profile, displayKey: String, structures: [String],
             children: [String], parents: [String]) {
            (self.id, self.login, self.profile, self.displayKey, self.structures, self.children, self.parents)
                = (id, login, profile, displayKey, structures, children, parents)
            // Only what the links compare: a relative's children, a student's parents.
            childKeys = profile == .relative ? children.map(Folding.key) : []
            parentKeys = profile == .student ? parents.map(Folding.key) : []
        }
    }

    struct Link: Hashable {
        let parent: Int64
        let child: Int64
        var seenFrom: String
    }

    /// A name on one account that matches several accounts of the school.
    struct Ambiguity: Codable, Sendable, Equatable {
        let login: String
        let name: String
        let candidates: [String]
    }

    var links: [Link] = []
    var ambiguities: [Ambiguity] = []
    var notFound = 0

    init(people: [Person]) {
        var studentsByKey: [String: [Int]] = [:]
        var relativesByKey: [String: [Int]] = [:]
        for (i, p) in people.enumerated() {
            if p.profile == .student { studentsByKey[p.displayKey, default: []].append(i) }
            if p.profile == .relative { relativesByKey[p.displayKey, default: []].append(i) }
        }
        func sameSchool(_ a: Person, _ b: Person) -> Bool {
            a.structures.isEmpty || b.structures.isEmpty || a.structures.contains(where: b.structures.contains)
        }
        var made: [Pair: String] = [:]
        // From the parents' side, then the children's, with the same rule.
        for p in people where p.profile == .relative {
            for (name, key) in zip(p.children, p.childKeys) {
                let candidates = (studentsByKey[key] ?? []).map { people[$0] }.filter { sameSchool(p, $0) }
                let confirmed = candidates.filter { $0.parentKeys.contains(p.displayKey) }
                if !confirmed.isEmpty {
                    confirmed.forEach { made[Pair(parent: p.id, child: $0.id)] = "both" }
                } else if candidates.count == 1 {
                    made[Pair(parent: p.id, child: candidates[0].id)] = "parent"
                } else if candidates.isEmpty {
                    notFound += 1
                } else {
                    ambiguities.append(Ambiguity(login: p.login, name: name, candidates: candidates.map(\.login).sorted()))
                }
            }
        }
        for c in people where c.profile == .student {
            for (name, key) in zip(c.parents, c.parentKeys) {
                let candidates = (relativesByKey[key] ?? []).map { people[$0] }.filter { sameSchool(c, $0) }
                let confirmed = candidates.filter { $0.childKeys.contains(c.displayKey) }
                if !confirmed.isEmpty { continue }   // made above, from the parent's side
                if candidates.count == 1 {
                    let pair = Pair(parent: candidates[0].id, child: c.id)
                    if made[pair] == nil { made[pair] = "child" }
                } else if candidates.isEmpty {
                    notFound += 1
                } else {
                    ambiguities.append(Ambiguity(login: c.login, name: name, candidates: candidates.map(\.login).sorted()))
                }
            }
        }
        links = made.map { Link(parent: $0.key.parent, child: $0.key.child, seenFrom: $0.value) }
            .sorted { ($0.parent, $0.child) < ($1.parent, $1.child) }
        ambiguities.sort { ($0.login, $0.name) < ($1.login, $1.name) }
    }

    struct Pair: Hashable {
        let parent: Int64
        let child: Int64
    }
}

extension FamilyLinks {
    /// The students and relatives of an export's rows (`ids[i]` is row i's account), their names folded on every core.
    static func people(_ rows: [ImportedAccount], ids: [Int64]) -> [Person] {
        let pieces = Parallel.ranges(rows.count)
        return Parallel.map(pieces.count) { k in
            // Only students and relatives are linked.
            pieces[k].filter { rows[$0].profile == .student || rows[$0].profile == .relative }.map { i in
                let row = rows[i]
                return Person(id: ids[i], login: row.login, profile: row.profile, displayKey: row.displayKey,
                              structures: row.structures ?? [], children: row.children ?? [], parents: row.parents ?? [])
            }
        }.flatMap { $0 }
    }

    /// Makes `family_link` hold exactly `family`'s links (an account export lists the whole platform), writing only
    /// what changed since the last import.
    static func store(_ family: FamilyLinks, _ db: Database) throws -> ImportSummary.LinkSummary {
        var stored: [Pair: String] = [:]
        try BulkStatement(db, sql: "SELECT parent_id, child_id, seen_from FROM family_link").forEachRow { row in
            stored[Pair(parent: row.int64(0), child: row.int64(1))] = row.text(2)
        }
        let insert = BulkInsert(db, into: "family_link", columns: ["seen_from", "parent_id", "child_id"])
        let update = try BulkStatement(db, sql: "UPDATE family_link SET seen_from = ? WHERE parent_id = ? AND child_id = ?")
        var summary = ImportSummary.LinkSummary()
        for link in family.links {
            let was = stored.removeValue(forKey: Pair(parent: link.parent, child: link.child))
            if was != link.seenFrom {
                let statement: any BulkBinding = was == nil ? insert : update
                try statement.bind(1, link.seenFrom)
                try statement.bind(2, link.parent)
                try statement.bind(3, link.child)
                try statement.endRow()
            }
            if link.seenFrom == "both" { summary.bothSides += 1 } else { summary.oneSide += 1 }
        }
        try insert.finish()
        let delete = try BulkStatement(db, sql: "DELETE FROM family_link WHERE parent_id = ? AND child_id = ?")
        for gone in stored.keys.sorted(by: { ($0.parent, $0.child) < ($1.parent, $1.child) }) {
            try delete.bind(1, gone.parent)
            try delete.bind(2, gone.child)
            try delete.execute()
        }
        summary.linked = family.links.count
        summary.notFound = family.notFound
        summary.ambiguous = family.ambiguities.map { ImportSummary.Ambiguity(login: $0.login, name: $0.name, candidates: $0.candidates) }
        return summary
    }
}
