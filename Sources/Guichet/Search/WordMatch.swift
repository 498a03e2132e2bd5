import GRDB

/// How one query word selects accounts: by prefix (as typed), or as one of several whole words (near spellings).
enum WordMatch: Equatable {
    case prefix(String)
    /// Whole words; when `startedBy` is set, they include every vocabulary name that starts with it (a widened word:
    /// the names it starts and its look-alikes), so that name pairs read those names as one range of keys.
    case anyOf([String], startedBy: String? = nil)

    /// Sorts after every string that starts with the same prefix: `term < word + highest` ends a prefix range.
    static let highest = "\u{10FFFF}"

    /// The word's rows of `search_term t`.
    var termCondition: SQL {
        switch self {
        case .prefix(let w): "t.term >= \(w) AND t.term < \(w + Self.highest)"
        case .anyOf(let terms, _): "t.term IN (SELECT value FROM json_each(\(Self.jsonList(terms))))"
        }
    }

    /// How many index rows the word's range holds, counting no further than `cap + 1`.
    func estimate(_ db: Database, cap: Int) throws -> Int {
        // The cap is an argument, not text: one prepared statement serves every cap. Plain SQL with arguments: a
        // statement built from an SQL literal cost some 25k instructions per call, for a count of a few dozen rows.
        switch self {
        case .prefix(let w):
            return try Int.fetchOne(
                db.cachedStatement(
                    sql: "SELECT count(*) FROM (SELECT 1 FROM search_term t WHERE t.term >= ? AND t.term < ? LIMIT ?)"),
                arguments: [w, w + Self.highest, cap + 1]) ?? 0
        case .anyOf(let terms, _):
            // A widened word's hundreds of names, each a range in the list's order, stopping at the cap: `IN (SELECT
            // …)` first copied the whole list into a temporary index. The names are distinct (a set, sorted).
            return try Int.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT count(*) FROM (SELECT 1 FROM json_each(?) j CROSS JOIN search_term t ON t.term = j.value LIMIT ?)
                        """), arguments: [Self.jsonList(terms), cap + 1]) ?? 0
        }
    }

    /// The word whose index rows drive a several-word search, and its rows as counted up to `cap + 1`: among the
    /// words that start no name if there are any (such a word can only be a login or an alias word), else among all,
    /// the fewest rows, the first word on a tie. `sizes` are the names each word starts (0: none); `count(k, c)` is
    /// word k's rows counted up to `c + 1` (`estimate`), `c` never negative.
    ///
    /// The answer is the one of counting each word in the query's order, each up to one past the fewest rows so far
    /// (`cap` at first): word k's count is then the least of its rows, `cap + 1` and each earlier word's rows plus
    /// one. Reading rows is what costs (a common first name's count read `cap + 1` rows before a rare last name's
    /// few: 22% of a one-typo query at 1M accounts), so each word is read only as far as can change the answer, the
    /// longest typed word first, the likeliest to be rare (a last name, a typo's look-alikes): when every word
    /// starts a name, each next word up to the fewest rows found so far (one less after the fewest's word: a tie
    /// goes to the first); otherwise the words that start no name first (most have no row at all: a typo starts no
    /// term), then a word that starts names only as far as it could lower a later one's count. Any order gives the
    /// same answer; the order only sets how many rows are read. (Reading the words' rows side by side, a row of
    /// each in turn, read fewer rows but each through its own `sqlite3_step`, about 900 instructions a row against
    /// some 550 in a count: it cost more.)
    static func rarest(
        _ matches: [WordMatch], sizes: [Int], cap: Int, count: (_ word: Int, _ cap: Int) throws -> Int
    ) rethrows -> (index: Int, rows: Int) {
        let order = matches.indices.sorted { (-matches[$0].typedLength, $0) < (-matches[$1].typedLength, $1) }
        let loginOnly = matches.indices.filter { sizes[$0] == 0 }
        guard !loginOnly.isEmpty else {
            var best = (rows: cap + 1, index: 0)
            for k in order {
                let limit = min(k <= best.index ? best.rows : best.rows - 1, cap)
                guard limit >= 0 else { continue }
                let rows = try count(k, limit)
                if (rows, k) < best { best = (rows, k) }
            }
            return (best.index, best.rows)
        }
        // Each word that starts no name: its rows, at most one past any earlier such word's.
        var counts: [Int: Int] = [:]
        var earlier = cap + 1
        for k in loginOnly {
            let rows = try count(k, cap)
            counts[k] = min(rows, earlier)
            earlier = min(earlier, rows + 1)
        }
        // A word that starts names lowers a later word's count to its rows plus one, if that is less.
        for j in order where sizes[j] > 0 {
            guard let highest = loginOnly.filter({ $0 > j }).map({ counts[$0]! }).max(), highest >= 2 else { continue }
            let rows = try count(j, highest - 2)
            guard rows <= highest - 2 else { continue }
            for k in loginOnly where k > j { counts[k] = min(counts[k]!, rows + 1) }
        }
        let index = loginOnly.min { (counts[$0]!, $0) < (counts[$1]!, $1) }!
        return (index, counts[index]!)
    }

    /// The length of the word as typed.
    private var typedLength: Int {
        switch self {
        case .prefix(let w), .anyOf(_, startedBy: let w?): w.unicodeScalars.count
        case .anyOf: 0
        }
    }

    /// How many whole name words the word stands for, counting no further than `cap + 1`: the names it starts
    /// (through the vocabulary), or its near spellings.
    func expansionSize(_ db: Database, cap: Int) throws -> Int {
        switch self {
        case .prefix(let w):
            // Plain SQL and arguments, as in `estimate`.
            try Int.fetchOne(
                db.cachedStatement(
                    sql: "SELECT count(*) FROM (SELECT 1 FROM name_vocabulary WHERE term >= ? AND term < ? LIMIT ?)"),
                arguments: [w, w + Self.highest, cap + 1]) ?? 0
        case .anyOf(let terms, _):
            terms.count
        }
    }

    // MARK: - Name pairs

    /// The name words this word stands for in `name_pair`: those that start with `prefix` (one range of keys after a
    /// name and U+0001), and `listed` ones outside that range, each one key.
    var pairNames: (prefix: String?, listed: [String]) {
        switch self {
        case .prefix(let w): (w, [])
        case .anyOf(let terms, let startedBy?): (startedBy, terms.filter { !$0.hasPrefix(startedBy) })
        case .anyOf(let terms, nil): (nil, terms)
        }
    }

    /// Whether the word is whole when it matches the name word `name`: as typed, or any of its whole words.
    func isWhole(_ name: Substring) -> Bool {
        guard case .prefix(let w) = self else { return true }
        return name == w
    }

    // MARK: - Checks on an index row

    /// A typed prefix `w` checked on an index row (`row.sort_key`, `row.account_id`) without reading the account (a
    /// widened word is checked in Swift: `Search.SeveralWords.holdsLookAlike`).
    ///
    /// `condition` keeps the rows where the word can start a name: it occurs in the register key (every name word
    /// does). `column` tells, on a row kept:
    /// 2: the word is one of the account's terms whole (a probe of `search_term`);
    /// 1: it starts the last names or the first names run together (each is a term: "dela" in "delafontaine");
    /// 0: it only occurs, which only the account's `search_text` settles ("goff" in "legoff", "art" in "martin").
    ///
    /// The tests are GLOB patterns (a folded word holds letters and digits only: nothing in it is special to GLOB):
    /// `instr` counted characters and compared at each of them, a fifth more per row of a class's flat scan. Each
    /// pattern is an expression, not a bare argument: SQLite prepares a statement again whenever it binds a new value
    /// to a bare GLOB argument, to see whether its prefix could bound an index.
    static func rowCheck(prefix w: String, _ row: String, canBeWhole: Bool) -> (condition: SQL, column: SQL) {
        let owner: SQL = "x.sort_key = \(sql: row).sort_key AND x.account_id = \(sql: row).account_id"
        func glob(_ pattern: String) -> SQL { "\(sql: row).sort_key GLOB (\(pattern) || '')" }
        let starts: SQL = "\(glob(w + "*")) OR \(glob("*\u{1}" + w + "*"))"
        return (
            " AND \(glob("*" + w + "*"))",
            canBeWhole
                ? "CASE WHEN EXISTS (SELECT 1 FROM search_term x WHERE x.term = \(w) AND \(owner)) THEN 2 WHEN \(starts) THEN 1 ELSE 0 END"
                : "CASE WHEN \(starts) THEN 1 ELSE 0 END"
        )
    }

    /// Whether `searchText` (" term term … ") holds a term that starts with this word.
    func matches(searchText: String) -> Bool {
        switch self {
        case .prefix(let w): searchText.contains(" " + w)
        case .anyOf(let terms, _): terms.contains { searchText.contains(" " + $0 + " ") }
        }
    }

    /// Words as one JSON array, for `json_each`: a list of any length is one argument, and its statement is prepared
    /// once. Folded words hold letters and digits only: nothing in them needs escaping.
    static func jsonList(_ words: [String]) -> String {
        // Written as bytes into one string: `joined(separator:)` over a few hundred generated spellings cost some
        // 50k instructions a list.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(words.reduce(4) { $0 + $1.utf8.count + 3 })
        bytes.append(contentsOf: [UInt8(ascii: "["), UInt8(ascii: "\"")])
        for (k, word) in words.enumerated() {
            if k > 0 { bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ","), UInt8(ascii: "\"")]) }
            bytes.append(contentsOf: word.utf8)
        }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "]")])
        return String(decoding: bytes, as: UTF8.self)
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
