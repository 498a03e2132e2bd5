import Foundation
import GRDB

/// Ranked search over the index of `SearchIndex`.
///
/// Ranking: exact matches first (the login or alias as typed, or every word of the full name), then accounts whose
/// names hold every query word as a whole word, then prefixes; within each tier, French register order. When
/// nothing matches, each word of 5 letters or more is widened to the names one letter away (wrong, missing or
/// extra), found through the vocabulary's prefix and suffix B-trees.
///
/// Cost is bounded: a whole-word tier is read in index order and stops at the page size; a prefix tier reads at most
/// `candidateCap` rows; a query of several words scans only its rarest word's range and checks the others against
/// the account's `search_text` inside SQLite.
public enum Search {
    static let candidateCap = 600
    /// At most this many index rows of the rarest word are checked against the other words: it bounds the cost of
    /// a query made of very common prefixes ("ma le"), whose total is then reported as a lower bound.
    static let scanCap = 3000
    /// A typed prefix is expanded into at most this many names before two prefixes are matched pair by pair.
    static let maximumExpansion = 150
    /// What `rank` reads of each candidate row.
    static let candidateColumns = "SELECT DISTINCT a.id, a.sort_key, a.login, a.first_name, a.last_name, a.search_text FROM "

    /// The words not used to find the rows, as conditions on `search_text` (checked by SQLite, row by row).
    static func conditions(_ matches: [WordMatch], except used: Set<Int>) -> (sql: String, arguments: StatementArguments) {
        var sql = ""
        var arguments: StatementArguments = []
        for (k, m) in matches.enumerated() where !used.contains(k) {
            sql += " AND " + m.textCondition
            arguments += m.textArguments
        }
        return (sql, arguments)
    }

    public static func run(_ query: SearchQuery, in db: Database) throws -> SearchResult {
        var words = Folding.words(query.text)
        var filters = query
        if filters.className == nil, let (range, key) = try classRun(in: words, db) {
            filters.className = key
            words.removeSubrange(range)
        }
        let filter = SQLFilter(filters)
        var ranked: [Candidate]
        var total: Int
        var exact = true
        var near = false
        if words.isEmpty {
            guard filter.isRestrictive else { return SearchResult(results: [], total: 0, totalIsExact: true, nearSpelling: false) }
            (ranked, total, exact) = try listing(filter, limit: query.limit, db)
        } else {
            let matches = words.map { WordMatch.prefix($0) }
            (ranked, total, exact) = try match(matches, words: words, text: query.text, filter: filter, limit: query.limit, db)
            if total == 0, words.contains(where: { $0.count >= 5 }) {
                var widened: [WordMatch] = []
                for word in words {
                    if word.count >= 5 {
                        let alternatives = try NearSpelling.alternatives(of: word, db)
                        guard !alternatives.isEmpty else { return SearchResult(results: [], total: 0, totalIsExact: true, nearSpelling: false) }
                        widened.append(.anyOf(alternatives))
                    } else {
                        widened.append(.prefix(word))
                    }
                }
                (ranked, total, exact) = try match(widened, words: words, text: query.text, filter: filter, limit: query.limit, db)
                near = total > 0
            }
        }
        let results = try AccountSummaries.load(ids: ranked.prefix(query.limit).map(\.id), db)
        return SearchResult(results: results, total: total, totalIsExact: exact, nearSpelling: near)
    }

    // MARK: - Tiers

    struct Candidate {
        let id: Int64
        let tier: Int
        let sortKey: String
        let login: String
    }

    /// Every account the query's words select, best first; `total` counts them (capped for very common prefixes).
    private static func match(_ matches: [WordMatch], words: [String], text: String, filter: SQLFilter, limit: Int,
                              _ db: Database) throws -> ([Candidate], Int, Bool) {
        let tierZero = try exactHandles(text, filter: filter, db)
        // A whole login or alias typed without a space means that account: logins are unique.
        if !tierZero.isEmpty && !text.contains(where: \.isWhitespace) { return (tierZero, tierZero.count, true) }
        if matches.count == 1, case .prefix(let word) = matches[0] {
            return try singleWord(word, filter: filter, limit: limit, exact: tierZero, db)
        }
        // Drive the scan with the word whose range is smallest; check the others inside SQLite.
        var estimates: [Int] = []
        for m in matches { estimates.append(try m.estimate(db, cap: candidateCap)) }
        let driverIndex = estimates.indices.min { estimates[$0] < estimates[$1] }!
        let paired = try pairs(matches, estimates: estimates, filter: filter, db)
        // The general scan is exact and cheap when one word is rare; when every word is common, the pairs carry
        // the query (words within one name part, e.g. "jean pierre" alone, are then only found by the scan).
        if !paired.rows.isEmpty && estimates[driverIndex] > candidateCap {
            return rank(tierZero, rows: paired.rows, matches: matches, words: words, exact: paired.exact)
        }
        let driver = matches[driverIndex]
        let rest = conditions(matches, except: [driverIndex])
        let sql = candidateColumns + "(SELECT t.account_id FROM search_term t WHERE \(driver.termCondition) LIMIT \(scanCap)) d"
            + " JOIN account a ON a.id = d.account_id WHERE 1" + rest.sql + filter.sql + " LIMIT \(candidateCap + 1)"
        let rows = try Row.fetchAll(db.cachedStatement(sql: sql), arguments: driver.termArguments + rest.arguments + filter.arguments)
            + paired.rows
        let exactTotal = rows.count <= candidateCap && estimates[driverIndex] <= candidateCap
        return rank(tierZero, rows: rows, matches: matches, words: words, exact: exactTotal)
    }

    /// Tiers and orders candidate rows (id, sort_key, login, first_name, last_name, search_text).
    private static func rank(_ tierZero: [Candidate], rows: [Row], matches: [WordMatch], words: [String],
                             exact exactTotal: Bool) -> ([Candidate], Int, Bool) {
        let wordSet = Set(words)
        var candidates = tierZero
        var known = Set(tierZero.map(\.id))
        for row in rows {
            let id: Int64 = row["id"]
            if !known.insert(id).inserted { continue }
            let searchText: String = row["search_text"]
            let nameWords = Set(Folding.words(row["first_name"]) + Folding.words(row["last_name"]))
            let tier: Int
            if nameWords == wordSet { tier = 0 }
            else if matches.allSatisfy({ $0.isWhole(in: searchText) }) { tier = 1 }
            else { tier = 2 }
            candidates.append(Candidate(id: id, tier: tier, sortKey: row["sort_key"], login: row["login"]))
        }
        candidates.sort { ($0.tier, $0.sortKey, $0.login) < ($1.tier, $1.sortKey, $1.login) }
        return (candidates, candidates.count, exactTotal)
    }

    /// Two of the words as a first-name word and a last-name word, through `name_pair`: a whole word and a
    /// prefix ("gerard zo", "zoe ger") are one range, found even when the general scan stops at `scanCap` on two
    /// common words; two prefixes ("nat ad") expand the rarer one into the names it starts, one range each. Any other
    /// words are checked against `search_text`. Returns no rows when no pair matches (compound names typed in pieces…).
    private static func pairs(_ matches: [WordMatch], estimates: [Int], filter: SQLFilter,
                              _ db: Database) throws -> (rows: [Row], exact: Bool) {
        let words = matches.compactMap { if case .prefix(let w) = $0 { w } else { nil } }
        guard words.count == matches.count, words.count >= 2 else { return ([], true) }
        // A whole word and a prefix: the narrowest non-empty range wins.
        let count = try db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM name_pair WHERE key >= ? AND key < ? LIMIT \(candidateCap + 1))")
        var best: (i: Int, j: Int, n: Int)?
        for i in words.indices where estimates[i] > 0 {
            for j in words.indices where j != i {
                let low = words[i] + "\u{1}" + words[j]
                let n = try Int.fetchOne(count, arguments: [low, low + WordMatch.highest]) ?? 0
                if n > 0 && n < (best?.n ?? Int.max) { best = (i, j, n) }
            }
        }
        if let best {
            let low = words[best.i] + "\u{1}" + words[best.j]
            let rest = conditions(matches, except: [best.i, best.j])
            let rows = try Row.fetchAll(db.cachedStatement(sql: candidateColumns + """
                name_pair p JOIN account a ON a.id = p.account_id WHERE p.key >= ? AND p.key < ?\(rest.sql)\(filter.sql)
                LIMIT \(candidateCap + 1)
                """), arguments: [low, low + WordMatch.highest] + rest.arguments + filter.arguments)
            return (rows, best.n <= candidateCap)
        }
        // Two prefixes: the rarer one stands for the few names it starts ("nat" → nathan, nathalie, nathanaël…),
        // each a whole word with the other as a prefix — one tight range of name_pair each.
        let order = words.indices.sorted { estimates[$0] < estimates[$1] }
        let (i, j) = (order[0], order[1])
        let rest = conditions(matches, except: [i, j])
        let names = try String.fetchAll(db.cachedStatement(sql: "SELECT term FROM name_vocabulary WHERE term >= ? AND term < ? LIMIT \(maximumExpansion + 1)"),
                                        arguments: [words[i], words[i] + WordMatch.highest])
        if names.count <= maximumExpansion {
            let probe = try db.cachedStatement(sql: candidateColumns + """
                name_pair p JOIN account a ON a.id = p.account_id WHERE p.key >= ? AND p.key < ?\(rest.sql)\(filter.sql)
                LIMIT \(candidateCap + 1)
                """)
            var rows: [Row] = []
            for name in names where rows.count <= candidateCap {
                let low = name + "\u{1}" + words[j]
                rows += try Row.fetchAll(probe, arguments: [low, low + WordMatch.highest] + rest.arguments + filter.arguments)
            }
            return (rows, rows.count <= candidateCap)
        }
        // A prefix that starts too many names ("ma"): a bounded scan of its pairs.
        let rows = try Row.fetchAll(db.cachedStatement(sql: candidateColumns + """
            (SELECT account_id FROM (SELECT key, account_id FROM name_pair WHERE key >= ? AND key < ? LIMIT \(scanCap * 4))
                WHERE substr(key, instr(key, char(1)) + 1, ?) = ? LIMIT \(candidateCap + 1)) p
            JOIN account a ON a.id = p.account_id WHERE 1\(rest.sql)\(filter.sql) LIMIT \(candidateCap + 1)
            """), arguments: [words[i], words[i] + WordMatch.highest, words[j].count, words[j]] + rest.arguments + filter.arguments)
        return (rows, false)
    }

    /// One word: the whole-word tier comes out of the index already in order; prefixes fill the page after it.
    private static func singleWord(_ word: String, filter: SQLFilter, limit: Int, exact: [Candidate],
                                   _ db: Database) throws -> ([Candidate], Int, Bool) {
        var out = exact
        var known = Set(exact.map(\.id))
        // Without filters the index alone answers; the account row is read only for the rows returned.
        let from = "FROM search_term t " + (filter.isRestrictive ? "JOIN account a ON a.id = t.account_id " : "") + "WHERE "
        let login = "(SELECT login FROM account WHERE id = t.account_id) AS login"
        let whole = try Row.fetchAll(db.cachedStatement(sql: "SELECT t.account_id AS id, t.sort_key, \(login) " + from
                                                        + "t.term = ?" + filter.sql + " ORDER BY t.sort_key LIMIT \(limit)"),
                                     arguments: [word] + filter.arguments)
        for row in whole where known.insert(row["id"]).inserted {
            out.append(Candidate(id: row["id"], tier: 1, sortKey: row["sort_key"], login: row["login"]))
        }
        let wholeCount = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 " + from + "t.term = ?"
                                                             + filter.sql + " LIMIT \(candidateCap + 1))"),
                                          arguments: [word] + filter.arguments) ?? 0
        // Prefixes, without the accounts the whole word already found: at most `candidateCap` index rows in term
        // order, grouped and ordered inside SQLite; only a page comes back.
        let prefixScan = "SELECT t.account_id, t.sort_key " + from + "t.term > ?1 AND t.term < ?2" + filter.sql
            + " AND NOT EXISTS (SELECT 1 FROM search_term x WHERE x.term = ?1 AND x.sort_key = t.sort_key AND x.account_id = t.account_id)"
            + " ORDER BY t.term, t.sort_key LIMIT \(candidateCap + 1)"
        let arguments: StatementArguments = [word, word + WordMatch.highest] + filter.arguments
        let counted = try Row.fetchOne(db.cachedStatement(sql: "SELECT count(*) AS n, count(DISTINCT account_id) AS d FROM (\(prefixScan))"),
                                       arguments: arguments)
        let scanned: Int = counted?["n"] ?? 0
        let prefixTotal: Int = counted?["d"] ?? 0
        if out.count < limit && prefixTotal > 0 {
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT p.account_id AS id, p.sort_key, (SELECT login FROM account WHERE id = p.account_id) AS login
                FROM (SELECT account_id, min(sort_key) AS sort_key FROM (\(prefixScan)) GROUP BY account_id) p
                ORDER BY p.sort_key, p.account_id LIMIT \(limit)
                """), arguments: arguments)
            var prefixes = rows.compactMap { row -> Candidate? in
                known.contains(row["id"]) ? nil : Candidate(id: row["id"], tier: 2, sortKey: row["sort_key"], login: row["login"])
            }
            prefixes.sort { ($0.sortKey, $0.login) < ($1.sortKey, $1.login) }
            out += prefixes
        }
        let exactTotal = wholeCount <= candidateCap && scanned <= candidateCap
        let total = exact.count + min(wholeCount, candidateCap) + min(prefixTotal, candidateCap)
        return (out, max(total, out.count), exactTotal)
    }

    /// The login or alias typed in full (folded): the surest match there is.
    private static func exactHandles(_ text: String, filter: SQLFilter, _ db: Database) throws -> [Candidate] {
        let handle = Folding.fold(text).trimmingCharacters(in: .whitespaces)
        guard !handle.isEmpty, !handle.contains(" ") else { return [] }
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT a.id, a.sort_key, a.login FROM account a WHERE (a.login = ?1 OR a.alias = ?1)" + filter.sql),
                                    arguments: [handle] + filter.arguments)
        return rows.map { Candidate(id: $0["id"], tier: 0, sortKey: $0["sort_key"], login: $0["login"]) }
    }

    /// No words, only filters: the class (or everyone) in register order.
    private static func listing(_ filter: SQLFilter, limit: Int, _ db: Database) throws -> ([Candidate], Int, Bool) {
        let sql = "SELECT a.id, a.sort_key, a.login FROM account a WHERE 1" + filter.sql + " ORDER BY a.sort_key, a.login LIMIT \(limit)"
        let rows = try Row.fetchAll(db.cachedStatement(sql: sql), arguments: filter.arguments)
        let count = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM account a WHERE 1" + filter.sql + " LIMIT 10001)"),
                                     arguments: filter.arguments) ?? 0
        return (rows.map { Candidate(id: $0["id"], tier: 1, sortKey: $0["sort_key"], login: $0["login"]) }, min(count, 10000), count <= 10000)
    }

    /// The longest run of query words that spells a class of the database ("2nde 3", "tle g2"), if any.
    private static func classRun(in words: [String], _ db: Database) throws -> (Range<Int>, String)? {
        guard !words.isEmpty, words.contains(where: { $0.contains(where: \.isNumber) }) else { return nil }
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM account_class WHERE class_key = ? LIMIT 1")
        for length in stride(from: min(words.count, 4), through: 1, by: -1) {
            for start in 0...(words.count - length) {
                let key = words[start..<(start + length)].joined()
                guard key.contains(where: \.isNumber) else { continue }
                if try Bool.fetchOne(statement, arguments: [key]) == true { return (start..<(start + length), key) }
            }
        }
        return nil
    }
}
