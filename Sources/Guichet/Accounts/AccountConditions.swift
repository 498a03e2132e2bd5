import GRDB

/// SQL conditions over `account a`, shared by the search's filters and the batches' selection, so that "activated"
/// or "gone from the feed" mean the same thing everywhere. Each starts with " AND ".
enum AccountConditions {
    /// Activated (no code left) or not; an account of a federated profile is neither: it has no activation (the
    /// ENT still makes a code for it, which nobody hands over), so it is in neither list, at the desk or in a batch.
    static func activated(_ yes: Bool, federation: Federation) -> String {
        let code = yes ? " AND ifnull(a.activation_code, '') = ''" : " AND ifnull(a.activation_code, '') <> ''"
        let federated = federation.profileValues
        // Our own enum's raw values ("Relative", "Teacher"…), never input: written into the SQL as literals.
        if federated.isEmpty { return code }
        return code + " AND a.profile NOT IN (" + federated.map { "'\($0)'" }.joined(separator: ",") + ")"
    }

    static func hasEmail(_ yes: Bool) -> String {
        yes ? " AND ifnull(a.email, '') <> ''" : " AND ifnull(a.email, '') = ''"
    }

    static func gone(_ yes: Bool) -> String {
        yes ? " AND a.gone_since IS NOT NULL" : " AND a.gone_since IS NULL"
    }

    /// A local administrator: the export's `Fonctions` (a JSON list) holds ADMIN_LOCAL.
    static func localAdmin(_ yes: Bool) -> String {
        let holds = "EXISTS (SELECT 1 FROM json_each(a.functions) f WHERE upper(f.value) LIKE '%ADMIN_LOCAL%')"
        return yes ? " AND " + holds : " AND NOT " + holds
    }

    /// In any of the classes whose keys (`Folding.key`) are given, the classes' accounts read first from the
    /// `account_class` index, then looked up by id: for a selection the classes drive (a batch), where
    /// `inClasses`' probe of each row would read every account (0.53 s against 0.03 s for a "2NDE 3" of 13,426
    /// accounts at 1M accounts).
    static func amongClasses(_ keys: [String]) -> (sql: String, arguments: StatementArguments) {
        let marks = Array(repeating: "?", count: keys.count).joined(separator: ",")
        return (
            " AND a.id IN (SELECT c.account_id FROM account_class c WHERE c.class_key IN (\(marks)))", StatementArguments(keys)
        )
    }

    /// In any of the classes whose keys (`Folding.key`) are given, through the `account_class` index: a probe per
    /// row, for a search that other words drive.
    static func inClasses(_ keys: [String]) -> (sql: String, arguments: StatementArguments) {
        let marks = Array(repeating: "?", count: keys.count).joined(separator: ",")
        return (
            " AND EXISTS (SELECT 1 FROM account_class c WHERE c.class_key IN (\(marks)) AND c.sort_key = a.sort_key AND c.account_id = a.id)",
            StatementArguments(keys)
        )
    }

    /// The desk search's class filter as a batch reads one (`BatchClass`, `BatchClasses`): "2NDE 1", or
    /// "STRUCTURE:2NDE 1", or the class with `structure`. Returns the class's key and, when a structure is named,
    /// the export's names of the structures that have the class and match it (empty: the filter selects nobody).
    /// A class the desk asked for (`askedClass`) without a structure, that two structures have, throws
    /// `SheetError.ambiguousClass` naming them, as a batch does; a class typed among the query's words does not (the
    /// results say each one's school instead: `ClassLabels`).
    static func classFilter(
        _ className: String, structure: String?, schools: [SchoolStructure], askedClass: Bool, _ db: Database
    ) throws -> (key: String, structures: [String]?) {
        let pair = BatchClass(commandLine: className)
        let key = Folding.key(pair.name)
        let asked = pair.structure ?? structure.flatMap { $0.isEmpty ? nil : $0 }
        // A class typed among the words, with no structure: nothing to check, and no read of where the class is.
        guard asked != nil || askedClass else { return (key, nil) }
        let known = Array(Set(try BatchClasses.known([key], db)[key] ?? [])).sorted()
        if let asked {
            return (key, known.filter { StructureMatch.matches(asked, exportName: $0, configured: schools) })
        }
        if BatchClasses.inSeveralStructures(known) {
            throw SheetError.ambiguousClass(name: pair.name, structures: known)
        }
        return (key, nil)
    }

    /// In one of these structures (the export's names, as `account.structures` holds them); none: nobody.
    static func inStructures(_ exportNames: [String]) -> (sql: String, arguments: StatementArguments) {
        guard !exportNames.isEmpty else { return (" AND 0", []) }
        let marks = Array(repeating: "?", count: exportNames.count).joined(separator: ",")
        return (
            " AND EXISTS (SELECT 1 FROM json_each(a.structures) s WHERE s.value IN (\(marks)))",
            StatementArguments(exportNames)
        )
    }
}

/// A search filter the desk cannot apply.
public enum SearchFilterError: DeskError, Equatable {
    /// A structure names where a class is (a cité scolaire's lycée or collège); it filters nothing alone.
    case structureWithoutClass(String)

    public var code: String { "bad-filter" }
    public var kind: DeskErrorKind { .invalid }
    public var detail: String {
        switch self {
        case .structureWithoutClass(let structure):
            "the structure filter \"\(structure)\" needs a class (class=\(structure):2NDE 1, or class=2NDE 1&structure=…)"
        }
    }
}

extension String {
    /// The string in groups of `size` characters separated by spaces, to read aloud or copy by hand:
    /// "k7qx4m2p" → "k7qx 4m2p".
    func grouped(by size: Int) -> String {
        precondition(size > 0, "a group has at least one character")
        var groups: [Substring] = []
        var start = startIndex
        while start < endIndex {
            let end = index(start, offsetBy: size, limitedBy: endIndex) ?? endIndex
            groups.append(self[start..<end])
            start = end
        }
        return groups.joined(separator: " ")
    }
}
