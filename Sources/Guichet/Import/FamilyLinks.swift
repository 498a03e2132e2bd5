/// Rebuilds parent–child links from the export's display names ("Prénom Nom" in `Enfants` and `Parents`).
///
/// A link seen from both sides (the parent lists the child and the child lists the parent) is made. A link seen
/// from one side only is made when the name it gives is unique among the accounts of that profile in the school
/// (accounts sharing a structure). Anything else is reported as ambiguous, never guessed.
struct FamilyLinks {
    /// A class: the candidate lists below hold references, not copies of every array.
    final class Person {
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
            childKeys = children.map(Folding.key)
            parentKeys = parents.map(Folding.key)
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

    private struct Pair: Hashable {
        let parent: Int64
        let child: Int64
    }
}
