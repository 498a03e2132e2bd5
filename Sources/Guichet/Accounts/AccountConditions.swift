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

    /// In any of the classes whose keys (`Folding.key`) are given, through the `account_class` index.
    static func inClasses(_ keys: [String]) -> (sql: String, arguments: StatementArguments) {
        let marks = Array(repeating: "?", count: keys.count).joined(separator: ",")
        return (
            " AND EXISTS (SELECT 1 FROM account_class c WHERE c.class_key IN (\(marks)) AND c.sort_key = a.sort_key AND c.account_id = a.id)",
            StatementArguments(keys)
        )
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
