import GRDB

/// How one query word selects accounts: by prefix (as typed), or as one of several whole words (near spellings).
enum WordMatch: Equatable {
    case prefix(String)
    case anyOf([String])

    /// Sorts after every string that starts with the same prefix: `term < word + highest` ends a prefix range.
    static let highest = "\u{10FFFF}"

    /// The word's rows of `search_term t`.
    var termCondition: SQL {
        switch self {
        case .prefix(let w): "t.term >= \(w) AND t.term < \(w + Self.highest)"
        case .anyOf(let terms): "t.term IN (SELECT value FROM json_each(\(Self.jsonList(terms))))"
        }
    }

    /// How many index rows the word's range holds, counting no further than `cap + 1`.
    func estimate(_ db: Database, cap: Int) throws -> Int {
        // The cap is an argument, not text: one prepared statement serves every cap.
        try Int.fetchOne(
            db.cachedStatement(
                literal: "SELECT count(*) FROM (SELECT 1 FROM search_term t WHERE \(termCondition) LIMIT \(cap + 1))")) ?? 0
    }

    /// How many whole name words the word stands for, counting no further than `cap + 1`: the names it starts
    /// (through the vocabulary), or its near spellings.
    func expansionSize(_ db: Database, cap: Int) throws -> Int {
        switch self {
        case .prefix(let w):
            try Int.fetchOne(
                db.cachedStatement(
                    literal: """
                        SELECT count(*) FROM (SELECT 1 FROM name_vocabulary WHERE term >= \(w) AND term < \(w + Self.highest) LIMIT \(cap + 1))
                        """)) ?? 0
        case .anyOf(let terms):
            terms.count
        }
    }

    // MARK: - Name pairs

    /// The whole name words this word stands for, as a one-column table `term`: the vocabulary's names that start
    /// with the word (the word itself first, when it is a name), or the near spellings.
    var namesSource: SQL {
        switch self {
        case .prefix(let w): "SELECT term FROM name_vocabulary WHERE term >= \(w) AND term < \(w + Self.highest)"
        case .anyOf(let terms): "SELECT value AS term FROM json_each(\(Self.jsonList(terms)))"
        }
    }

    /// The rows of `name_pair p` that pair a name `v.term` with a name this word selects (the other name part).
    var pairCondition: SQL {
        switch self {
        case .prefix(let w):
            "p.key >= v.term || \(SearchIndex.keySeparator + w) AND p.key < v.term || \(SearchIndex.keySeparator + w + Self.highest)"
        case .anyOf(let terms): "p.key IN (SELECT v.term || char(1) || value FROM json_each(\(Self.jsonList(terms))))"
        }
    }

    /// Whether the word is whole on a name pair's row: the name `v.term` when it is the anchor, the pair's key when
    /// it is the other word. A near spelling always is.
    func isWhole(asAnchor: Bool) -> SQL {
        guard case .prefix(let w) = self else { return "1" }
        return asAnchor ? "v.term = \(w)" : "p.key = v.term || \(SearchIndex.keySeparator + w)"
    }

    // MARK: - Checks on an index row

    /// This word checked on an index row (`row.sort_key`, `row.account_id`) without reading the account.
    ///
    /// `condition` keeps the rows where the word can start a name: it occurs in the register key (every name word
    /// does), or, for near spellings, one of them is a whole term. `column` tells, on a row kept:
    /// 2: the word is one of the account's terms whole (a probe of `search_term`);
    /// 1: it starts the last names or the first names run together (each is a term: "dela" in "delafontaine");
    /// 0: it only occurs, which only the account's `search_text` settles ("goff" in "legoff", "art" in "martin").
    func rowCheck(_ row: String, canBeWhole: Bool) -> (condition: SQL, column: SQL) {
        let owner: SQL = "x.sort_key = \(sql: row).sort_key AND x.account_id = \(sql: row).account_id"
        switch self {
        case .prefix(let w):
            let starts: SQL = "instr(\(sql: row).sort_key, \(w)) = 1 OR instr(\(sql: row).sort_key, char(1) || \(w)) > 0"
            return (
                " AND instr(\(sql: row).sort_key, \(w)) > 0",
                canBeWhole
                    ? "CASE WHEN EXISTS (SELECT 1 FROM search_term x WHERE x.term = \(w) AND \(owner)) THEN 2 WHEN \(starts) THEN 1 ELSE 0 END"
                    : "CASE WHEN \(starts) THEN 1 ELSE 0 END"
            )
        case .anyOf(let terms):
            let list = Self.jsonList(terms)
            return (
                " AND EXISTS (SELECT 1 FROM json_each(\(list)) WHERE instr(\(sql: row).sort_key, value) > 0)"
                    + " AND EXISTS (SELECT 1 FROM search_term x WHERE x.term IN (SELECT value FROM json_each(\(list))) AND \(owner))",
                "2"
            )
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
    /// The conditions on `account a`.
    private var onAccount: SQL = ""

    /// Throws `SheetError.ambiguousClass` for a class asked without its structure that two structures have, and
    /// `SearchFilterError` for a structure without a class (`AccountConditions.classFilter`).
    init(_ q: SearchQuery, askedClass: Bool, _ db: Database) throws {
        if let className = q.className {
            let inClass = try AccountConditions.classFilter(
                className, structure: q.structure, schools: q.schools, askedClass: askedClass, db)
            classKey = inClass.key
            if let structures = inClass.structures {
                let condition = AccountConditions.inStructures(structures)
                onAccount += SQL(sql: condition.sql, arguments: condition.arguments)
            }
        } else if let structure = q.structure {
            throw SearchFilterError.structureWithoutClass(structure)
        }
        if let profile = q.profile { onAccount += " AND a.profile = \(profile.rawValue)" }
        if let activated = q.activated { onAccount += SQL(sql: AccountConditions.activated(activated, federation: q.federation)) }
        if let hasEmail = q.hasEmail { onAccount += SQL(sql: AccountConditions.hasEmail(hasEmail)) }
        if let gone = q.gone { onAccount += SQL(sql: AccountConditions.gone(gone)) }
    }

    /// Whether the filters alone select a list worth showing (not "everyone").
    var isRestrictive: Bool { classKey != nil || !onAccount.isEmpty }

    /// The filters on an index row aliased `row`, after `join(row)`.
    func sql(on row: String) -> SQL {
        (classKey.map {
            " AND EXISTS (SELECT 1 FROM account_class c WHERE c.class_key = \($0) AND c.sort_key = \(sql: row).sort_key AND c.account_id = \(sql: row).account_id)"
        } ?? "")
            + onAccount
    }

    /// The filters on `account a` itself.
    var onAccountRow: SQL {
        (classKey.map {
            let inClass = AccountConditions.inClasses([$0]); return SQL(sql: inClass.sql, arguments: inClass.arguments)
        } ?? "") + onAccount
    }

    /// The filters other than the class (for rows read from the class itself).
    var withoutClass: SQLFilter {
        var filter = self
        filter.classKey = nil
        return filter
    }

    /// The join that the filters need after an index table aliased `row`: none but for profile, activation, e-mail
    /// or departure, so that the search reads the index alone.
    func join(_ row: String) -> SQL {
        onAccount.isEmpty ? "" : " JOIN account a ON a.id = \(sql: row).account_id"
    }
}
