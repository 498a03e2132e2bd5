import GRDB

/// How one query word selects accounts: by prefix (as typed), or as one of several whole words (near spellings).
enum WordMatch {
    case prefix(String)
    case anyOf([String])

    /// Sorts after every string that starts with the same prefix: `term < word + highest` ends a prefix range.
    static let highest = "\u{10FFFF}"

    var termCondition: String {
        switch self {
        case .prefix: "t.term >= ? AND t.term < ?"
        case .anyOf(let terms): "t.term IN (" + Array(repeating: "?", count: terms.count).joined(separator: ",") + ")"
        }
    }

    var termArguments: StatementArguments {
        switch self {
        case .prefix(let w): [w, w + Self.highest]
        case .anyOf(let terms): StatementArguments(terms)
        }
    }

    /// The same test against `account.search_text` (" term term … "), evaluated by SQLite row by row.
    var textCondition: String {
        switch self {
        case .prefix: "instr(a.search_text, ?) > 0"
        case .anyOf(let terms): "(" + Array(repeating: "instr(a.search_text, ?) > 0", count: terms.count).joined(separator: " OR ") + ")"
        }
    }

    var textArguments: StatementArguments {
        switch self {
        case .prefix(let w): [" " + w]
        case .anyOf(let terms): StatementArguments(terms.map { " " + $0 + " " })
        }
    }

    /// Whether `searchText` holds this word whole.
    func isWhole(in searchText: String) -> Bool {
        switch self {
        case .prefix(let w): searchText.contains(" " + w + " ")
        case .anyOf: true
        }
    }

    /// How many index rows the word's range holds, counting no further than `cap + 1`.
    func estimate(_ db: Database, cap: Int) throws -> Int {
        let sql = "SELECT count(*) FROM (SELECT 1 FROM search_term t WHERE \(termCondition) LIMIT \(cap + 1))"
        return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: termArguments) ?? 0
    }
}

/// The console's filters as SQL over `account a`, appended to a WHERE clause.
struct SQLFilter {
    var sql = ""
    var arguments: StatementArguments = []

    init(_ q: SearchQuery) {
        if let profile = q.profile {
            sql += " AND a.profile = ?"
            arguments += [profile.rawValue]
        }
        if let className = q.className {
            let classes = AccountConditions.inClasses([Folding.key(className)])
            sql += classes.sql
            arguments += classes.arguments
        }
        if let activated = q.activated { sql += AccountConditions.activated(activated) }
        if let hasEmail = q.hasEmail { sql += AccountConditions.hasEmail(hasEmail) }
        if let gone = q.gone { sql += AccountConditions.gone(gone) }
    }

    /// Whether the filters alone select a list worth showing (not "everyone").
    var isRestrictive: Bool { !sql.isEmpty }
}
