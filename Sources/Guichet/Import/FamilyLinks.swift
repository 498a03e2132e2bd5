import GRDB
import SQLiteBulk

/// Rebuilds parent–child links from the export's display names ("Prénom Nom" in `Enfants` and `Parents`).
///
/// A link seen from both sides (the parent lists the child and the child lists the parent) is made. A link seen
/// from one side only is made when the name it gives is unique among the accounts of that profile in the school
/// (accounts sharing a structure). Anything else is reported as ambiguous, never guessed.
struct FamilyLinks {
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

    /// The students and relatives of an export, with what the links compare — folded display names and schools —
    /// as numbers. Matching a million accounts' names compared strings and retained objects at every step: 3.4 s of
    /// CPU, against a few tenths with numbers.
    struct People: Sendable {
        /// What an ambiguity reports: each member's login, and the names as the file writes them (`listed[k]` is
        /// the name folded into `names[k]`). Kept apart so that the export's rows can be let go before the writes.
        fileprivate var logins = Texts()
        fileprivate var listed = Texts()
        fileprivate var members: [Member] = []
        /// `members[m].schools` and `members[m].names` are ranges of these.
        fileprivate var schools: [Int32] = []
        fileprivate var names: [Int32] = []
        /// How many distinct folded names were numbered.
        fileprivate var keyCount = 0

        var count: Int { members.count }
    }

    /// Texts end to end in one buffer. The people's logins and listed names outlive the export's rows; as strings
    /// shared with the rows they kept every page of the rows' memory in use (a row's strings lie side by side), so
    /// the rows' memory could not be given back to the system as their accounts were written.
    fileprivate struct Texts {
        private var bytes: [UInt8] = []
        private var ends: [Int] = []

        mutating func append(_ text: String) {
            bytes += text.utf8
            ends.append(bytes.count)
        }

        subscript(k: Int) -> String {
            String(decoding: bytes[(k == 0 ? 0 : ends[k - 1])..<ends[k]], as: UTF8.self)
        }
    }

    fileprivate struct Member {
        let row: Int
        let id: Int64
        /// A student, else a relative: only they are linked.
        let isStudent: Bool
        /// The folded display name ("Prénom Nom").
        let key: Int32
        let schools: Range<Int>
        /// The names it lists, folded, in the file's order: a relative's children, a student's parents.
        let names: Range<Int>
    }

    init(people: People) {
        let members = people.members
        // The members of each folded name, students and relatives apart, as chains through `next` in file order.
        var firstStudent = [Int](repeating: -1, count: people.keyCount)
        var firstRelative = firstStudent
        var next = [Int](repeating: -1, count: members.count)
        for m in members.indices.reversed() {
            let key = Int(members[m].key)
            if members[m].isStudent {
                (next[m], firstStudent[key]) = (firstStudent[key], m)
            } else {
                (next[m], firstRelative[key]) = (firstRelative[key], m)
            }
        }
        func sameSchool(_ a: Member, _ b: Member) -> Bool {
            let (x, y) = (people.schools[a.schools], people.schools[b.schools])
            return x.isEmpty || y.isEmpty || x.contains(where: y.contains)
        }
        var made: [Pair: String] = [:]
        var candidates: [Int] = []
        // From the parents' side, then the children's, with the same rule.
        for side in [false, true] {
            for m in members.indices where members[m].isStudent == side {
                let p = members[m]
                for (j, key) in people.names[p.names].enumerated() {
                    candidates.removeAll(keepingCapacity: true)
                    var c = side ? firstRelative[Int(key)] : firstStudent[Int(key)]
                    while c >= 0 {
                        if sameSchool(p, members[c]) { candidates.append(c) }
                        c = next[c]
                    }
                    let confirmed = candidates.filter { people.names[members[$0].names].contains(p.key) }
                    if !confirmed.isEmpty {
                        // Made from the parent's side, seen from both.
                        if !side { confirmed.forEach { made[Pair(parent: p.id, child: members[$0].id)] = "both" } }
                    } else if candidates.count == 1 {
                        let other = members[candidates[0]]
                        if side {
                            let pair = Pair(parent: other.id, child: p.id)
                            if made[pair] == nil { made[pair] = "child" }
                        } else {
                            made[Pair(parent: p.id, child: other.id)] = "parent"
                        }
                    } else if candidates.isEmpty {
                        notFound += 1
                    } else {
                        ambiguities.append(
                            Ambiguity(
                                login: people.logins[m], name: people.listed[p.names.lowerBound + j],
                                candidates: candidates.map { people.logins[$0] }.sorted()))
                    }
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
    /// The students and relatives of an export's rows (`ids[i]` is row i's account): their names folded in
    /// `pieces` pieces, then numbered on this thread, a group of pieces at a time (as many as there are cores): the
    /// folded names of a million rows held at once were some 170 MB of the import's peak. The first group is folded
    /// on every core, each next one on one other thread while this one numbers the group before it (with 1 piece, all
    /// on this thread). Numbering is one thread's work (the dictionaries), and the other core used to wait for it:
    /// 1M realistic export, 3 December, interleaved, this phase 1.96-2.68 s before, 1.35-1.86 s after. Two groups are
    /// held at once: with groups of an eighth of the rows (16 pieces), a next night's re-import peaked 8-15 MB
    /// higher, at this phase; with a thirty-second (64 pieces), within the runs' spread (944-954 MB against
    /// 937-946).
    static func people(_ rows: [ImportedAccount], ids: [Int64], pieces: Int = Parallel.pieces * 8) -> People {
        let pieces = Parallel.ranges(rows.count, pieces: pieces)
        let cores = max(1, Parallel.cores)
        var people = People()
        var keys: [String: Int32] = [:]
        var schools: [String: Int32] = [:]
        func number(_ text: String, in table: inout [String: Int32]) -> Int32 {
            if let n = table[text] { return n }
            let n = Int32(table.count)
            table[text] = n
            return n
        }
        let groups = stride(from: 0, to: pieces.count, by: cores).map { Array(pieces[$0..<min($0 + cores, pieces.count)]) }
        @Sendable func fold(_ piece: Range<Int>) -> [(row: Int, key: String, names: [String])] {
            piece.compactMap { i -> (row: Int, key: String, names: [String])? in
                let row = rows[i]
                switch row.profile {
                case .student: return (i, row.displayKey, (row.parents ?? []).map(Folding.key))
                case .relative: return (i, row.displayKey, (row.children ?? []).map(Folding.key))
                default: return nil
                }
            }
        }
        var next = groups.first.map { group in Parallel.map(group.count) { fold(group[$0]) } }
        for g in groups.indices {
            let folded = next!
            let pending =
                g + 1 < groups.count
                ? Parallel.background { [group = groups[g + 1]] in group.map(fold) } : nil
            for (i, key, names) in folded.joined() {
                let schoolsStart = people.schools.count
                for school in rows[i].structures ?? [] { people.schools.append(number(school, in: &schools)) }
                let namesStart = people.names.count
                for name in names { people.names.append(number(name, in: &keys)) }
                for name in (rows[i].profile == .student ? rows[i].parents : rows[i].children) ?? [] {
                    people.listed.append(name)
                }
                people.logins.append(rows[i].login)
                people.members.append(
                    Member(
                        row: i, id: ids[i], isStudent: rows[i].profile == .student,
                        key: number(key, in: &keys), schools: schoolsStart..<people.schools.count,
                        names: namesStart..<people.names.count))
            }
            next = pending?.wait()
        }
        people.keyCount = keys.count
        return people
    }

    /// Makes `family_link` hold exactly `family`'s links (an account export lists the whole platform), writing only
    /// what changed since the last import.
    static func store(_ family: FamilyLinks, _ db: Database) throws -> ImportSummary.LinkSummary {
        var stored: [Pair: String] = [:]
        try BulkStatement(db, sql: "SELECT parent_id, child_id, seen_from FROM family_link").forEachRow { row in
            stored[Pair(parent: row.int64(0), child: row.int64(1))] = row.text(2)
        }
        let update = try BulkStatement(db, sql: "UPDATE family_link SET seen_from = ? WHERE parent_id = ? AND child_id = ?")
        var summary = ImportSummary.LinkSummary()
        var added: [Link] = []
        for link in family.links {
            switch stored.removeValue(forKey: Pair(parent: link.parent, child: link.child)) {
            case nil: added.append(link)
            case link.seenFrom: break
            default:
                try update.bind(1, link.seenFrom)
                try update.bind(2, link.parent)
                try update.bind(3, link.child)
                try update.execute()
            }
            if link.seenFrom == "both" { summary.bothSides += 1 } else { summary.oneSide += 1 }
        }
        var next = added.makeIterator()
        try RowStream.insert(
            db, into: "family_link", columns: ["seen_from", "parent_id", "child_id"],
            rows: RowStream(columns: 3) { row in
                guard let link = next.next() else { return false }
                row.bind(1, link.seenFrom)
                row.bind(2, link.parent)
                row.bind(3, link.child)
                return true
            })
        let delete = try BulkStatement(db, sql: "DELETE FROM family_link WHERE parent_id = ? AND child_id = ?")
        for gone in stored.keys.sorted(by: { ($0.parent, $0.child) < ($1.parent, $1.child) }) {
            try delete.bind(1, gone.parent)
            try delete.bind(2, gone.child)
            try delete.execute()
        }
        summary.linked = family.links.count
        summary.notFound = family.notFound
        summary.ambiguous = family.ambiguities.map {
            ImportSummary.Ambiguity(login: $0.login, name: $0.name, candidates: $0.candidates)
        }
        return summary
    }
}
