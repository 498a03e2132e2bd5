import GRDB

/// How one query word selects accounts: by prefix (as typed), or as one of several whole words (near spellings).
enum WordMatch {
    case prefix(String)
    case anyOf([String])

    /// Sorts after every string that starts with the same prefix: `term < word + highest` ends a prefix range.
    static let highest = "\u{10FFFF}"

    /// The word's rows of `search_term t`.
    var termCondition: String {
        switch self {
        case .prefix: "t.term >= ? AND t.term < ?"
        case .anyOf(let terms): "t.term IN (" + Self.marks(terms.count) + ")"
        }
    }

    var termArguments: StatementArguments {
        switch self {
        case .prefix(let w): [w, w + Self.highest]
        case .anyOf(let terms): StatementArguments(terms)
        }
    }

    /// How many index rows the word's range holds, counting no further than `cap + 1`.
    func estimate(_ db: Database, cap: Int) throws -> Int {
        let sql = "SELECT count(*) FROM (SELECT 1 FROM search_term t WHERE \(termCondition) LIMIT \(cap + 1))"
        return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: termArguments) ?? 0
    }

    /// How many whole name words the word stands for, counting no further than `cap + 1`: the names it starts
    /// (through the vocabulary), or its near spellings.
    func expansionSize(_ db: Database, cap: Int) throws -> Int {
        switch self {
        case .prefix(let w):
            let sql = "SELECT count(*) FROM (SELECT 1 FROM name_vocabulary WHERE term >= ? AND term < ? LIMIT \(cap + 1))"
            return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: [w, w + Self.highest]) ?? 0
        case .anyOf(let terms):
            return terms.count
        }
    }

    // MARK: - Name pairs

    /// The whole name words this word stands for, as a one-column table `term`: the vocabulary's names that start
    /// with the word (the word itself first, when it is a name), or the near spellings.
    var namesSource: (sql: String, arguments: StatementArguments) {
        switch self {
        case .prefix(let w):
            ("SELECT term FROM name_vocabulary WHERE term >= ? AND term < ?", [w, w + Self.highest])
        case .anyOf(let terms):
            ("SELECT column1 AS term FROM (VALUES " + Array(repeating: "(?)", count: terms.count).joined(separator: ",") + ")",
             StatementArguments(terms))
        }
    }

    /// The rows of `name_pair p` that pair a name `v.term` with a name this word selects (the other name part).
    var pairCondition: (sql: String, arguments: StatementArguments) {
        switch self {
        case .prefix(let w):
            ("p.key >= v.term || ? AND p.key < v.term || ?", ["\u{1}" + w, "\u{1}" + w + Self.highest])
        case .anyOf(let terms):
            ("p.key IN (" + Array(repeating: "v.term || ?", count: terms.count).joined(separator: ",") + ")",
             StatementArguments(terms.map { "\u{1}" + $0 }))
        }
    }

    // MARK: - Checks on an index row

    /// This word checked on an index row (`row.sort_key`, `row.account_id`) without reading the account.
    ///
    /// `condition` keeps the rows where the word can match a name: it occurs in the register key (every name word
    /// does), or, for near spellings, one of them is a whole term. `column` (0 or 1) says whether the word is one of
    /// the account's terms whole; a prefix that is not (1 on a row kept, 0 in `column`) still needs the account's
    /// `search_text` to tell a word start from a substring ("art" in "martin").
    func rowCheck(_ row: String, canBeWhole: Bool) -> (condition: String, conditionArguments: StatementArguments,
                                                       column: String, columnArguments: StatementArguments) {
        let owner = "x.sort_key = \(row).sort_key AND x.account_id = \(row).account_id"
        switch self {
        case .prefix(let w):
            return (" AND instr(\(row).sort_key, ?) > 0", [w],
                    canBeWhole ? "EXISTS (SELECT 1 FROM search_term x WHERE x.term = ? AND \(owner))" : "0",
                    canBeWhole ? [w] : [])
        case .anyOf(let terms):
            let inSortKey = Array(repeating: "instr(\(row).sort_key, ?) > 0", count: terms.count).joined(separator: " OR ")
            let whole = "EXISTS (SELECT 1 FROM search_term x WHERE x.term IN (\(Self.marks(terms.count))) AND \(owner))"
            return (" AND (\(inSortKey)) AND \(whole)", StatementArguments(terms) + StatementArguments(terms), "1", [])
        }
    }

    /// Whether `searchText` (" term term … ") holds a term that starts with this word.
    func matches(searchText: String) -> Bool {
        switch self {
        case .prefix(let w): searchText.contains(" " + w)
        case .anyOf(let terms): terms.contains { searchText.contains(" " + $0 + " ") }
        }
    }

    private static func marks(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
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

    /// The join that the filters need after an index table aliased `row`: none without filters, so that the search
    /// reads the index alone.
    func join(_ row: String) -> String {
        isRestrictive ? " JOIN account a ON a.id = \(row).account_id" : ""
    }
}
