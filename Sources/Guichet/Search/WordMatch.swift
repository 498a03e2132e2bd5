import GRDB

/// How one query word selects accounts: by prefix (as typed), or as one of several whole words (near spellings).
enum WordMatch: Equatable {
    case prefix(String)
    case anyOf([String])

    /// Sorts after every string that starts with the same prefix: `term < word + highest` ends a prefix range.
    static let highest = "\u{10FFFF}"

    /// The word's rows of `search_term t`.
    var termCondition: String {
        switch self {
        case .prefix: "t.term >= ? AND t.term < ?"
        case .anyOf: "t.term IN (SELECT value FROM json_each(?))"
        }
    }

    var termArguments: StatementArguments {
        switch self {
        case .prefix(let w): [w, w + Self.highest]
        case .anyOf(let terms): [Self.jsonList(terms)]
        }
    }

    /// How many index rows the word's range holds, counting no further than `cap + 1`.
    func estimate(_ db: Database, cap: Int) throws -> Int {
        // The cap is an argument, not text: one prepared statement serves every cap.
        let sql = "SELECT count(*) FROM (SELECT 1 FROM search_term t WHERE \(termCondition) LIMIT ?)"
        return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: termArguments + [cap + 1]) ?? 0
    }

    /// How many whole name words the word stands for, counting no further than `cap + 1`: the names it starts
    /// (through the vocabulary), or its near spellings.
    func expansionSize(_ db: Database, cap: Int) throws -> Int {
        switch self {
        case .prefix(let w):
            let sql = "SELECT count(*) FROM (SELECT 1 FROM name_vocabulary WHERE term >= ? AND term < ? LIMIT ?)"
            return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: [w, w + Self.highest, cap + 1]) ?? 0
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
            ("SELECT value AS term FROM json_each(?)", [Self.jsonList(terms)])
        }
    }

    /// The rows of `name_pair p` that pair a name `v.term` with a name this word selects (the other name part).
    var pairCondition: (sql: String, arguments: StatementArguments) {
        switch self {
        case .prefix(let w):
            ("p.key >= v.term || ? AND p.key < v.term || ?", ["\u{1}" + w, "\u{1}" + w + Self.highest])
        case .anyOf(let terms):
            ("p.key IN (SELECT v.term || char(1) || value FROM json_each(?))", [Self.jsonList(terms)])
        }
    }

    // MARK: - Checks on an index row

    /// This word checked on an index row (`row.sort_key`, `row.account_id`) without reading the account.
    ///
    /// `condition` keeps the rows where the word can start a name: it occurs in the register key (every name word
    /// does), or, for near spellings, one of them is a whole term. `column` tells, on a row kept:
    /// 2: the word is one of the account's terms whole (a probe of `search_term`);
    /// 1: it starts the last names or the first names run together (each is a term: "dela" in "delafontaine");
    /// 0: it only occurs, which only the account's `search_text` settles ("goff" in "legoff", "art" in "martin").
    func rowCheck(_ row: String, canBeWhole: Bool) -> (condition: String, conditionArguments: StatementArguments,
                                                       column: String, columnArguments: StatementArguments) {
        let owner = "x.sort_key = \(row).sort_key AND x.account_id = \(row).account_id"
        switch self {
        case .prefix(let w):
            let starts = "instr(\(row).sort_key, ?) = 1 OR instr(\(row).sort_key, char(1) || ?) > 0"
            return (" AND instr(\(row).sort_key, ?) > 0", [w],
                    canBeWhole ? "CASE WHEN EXISTS (SELECT 1 FROM search_term x WHERE x.term = ? AND \(owner)) THEN 2 WHEN \(starts) THEN 1 ELSE 0 END"
                               : "CASE WHEN \(starts) THEN 1 ELSE 0 END",
                    canBeWhole ? [w, w, w] : [w, w])
        case .anyOf(let terms):
            let inSortKey = "EXISTS (SELECT 1 FROM json_each(?) WHERE instr(\(row).sort_key, value) > 0)"
            let whole = "EXISTS (SELECT 1 FROM search_term x WHERE x.term IN (SELECT value FROM json_each(?)) AND \(owner))"
            return (" AND \(inSortKey) AND \(whole)", [Self.jsonList(terms), Self.jsonList(terms)], "2", [])
        }
    }

    /// Whether `searchText` (" term term … ") holds a term that starts with this word.
    func matches(searchText: String) -> Bool {
        switch self {
        case .prefix(let w): searchText.contains(" " + w)
        case .anyOf(let terms): terms.contains { searchText.contains(" " + $0 + " ") }
        }
    }

    /// Words as one JSON array, for `json_each`: a list of any length is one argument, and its statement is prepared
    /// once. Folded words hold letters and digits only: nothing in them needs escaping.
    static func jsonList(_ words: [String]) -> String {
        "[\"" + words.joined(separator: "\",\"") + "\"]"
    }
}

/// The console's filters as SQL, appended to a WHERE clause.
///
/// The class is checked on an index row through `account_class` (its key holds the row's `sort_key` and
/// `account_id`): a class search reads no account. The other filters need the account row, `account a`, joined after
/// the index row by `join`.
struct SQLFilter {
    /// The class's key (`Folding.key`), if any.
    private(set) var classKey: String?
    private var accountSQL = ""
    private var accountArguments: StatementArguments = []

    init(_ q: SearchQuery) {
        classKey = q.className.map(Folding.key)
        if let profile = q.profile {
            accountSQL += " AND a.profile = ?"
            accountArguments += [profile.rawValue]
        }
        if let activated = q.activated { accountSQL += AccountConditions.activated(activated) }
        if let hasEmail = q.hasEmail { accountSQL += AccountConditions.hasEmail(hasEmail) }
        if let gone = q.gone { accountSQL += AccountConditions.gone(gone) }
    }

    /// Whether the filters alone select a list worth showing (not "everyone").
    var isRestrictive: Bool { classKey != nil || !accountSQL.isEmpty }

    /// The filters on an index row aliased `row`, after `join(row)`; `arguments` are theirs.
    func sql(on row: String) -> String {
        (classKey == nil ? "" : " AND EXISTS (SELECT 1 FROM account_class c WHERE c.class_key = ? AND c.sort_key = \(row).sort_key AND c.account_id = \(row).account_id)")
            + accountSQL
    }

    /// The filters on `account a` itself; `arguments` are theirs.
    var sqlOnAccount: String {
        (classKey.map { AccountConditions.inClasses([$0]).sql } ?? "") + accountSQL
    }

    var arguments: StatementArguments {
        (classKey.map { [$0] } ?? []) + accountArguments
    }

    /// The filters other than the class (for rows read from the class itself).
    var withoutClass: SQLFilter {
        var filter = self
        filter.classKey = nil
        return filter
    }

    /// The join that the filters need after an index table aliased `row`: none but for profile, activation, e-mail
    /// or departure, so that the search reads the index alone.
    func join(_ row: String) -> String {
        accountSQL.isEmpty ? "" : " JOIN account a ON a.id = \(row).account_id"
    }
}
