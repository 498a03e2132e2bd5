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
        var tierZero = try exactHandles(text, filter: filter, db)
        if matches.count == 1, case .prefix(let word) = matches[0] {
            return try singleWord(word, filter: filter, limit: limit, exact: &tierZero, db)
        }
        // Drive the scan with the word whose range is smallest; check the others inside SQLite.
        var estimates: [Int] = []
        for m in matches { estimates.append(try m.estimate(db, cap: candidateCap)) }
        let driverIndex = estimates.indices.min { estimates[$0] < estimates[$1] }!
        let driver = matches[driverIndex]
        var sql = "SELECT DISTINCT a.id, a.sort_key, a.login, a.first_name, a.last_name, a.search_text FROM search_term t JOIN account a ON a.id = t.account_id WHERE \(driver.termCondition)"
        var arguments = driver.termArguments
        for (i, m) in matches.enumerated() where i != driverIndex {
            sql += " AND " + m.textCondition
            arguments += m.textArguments
        }
        sql += filter.sql + " LIMIT \(candidateCap + 1)"
        let rows = try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments + filter.arguments)
        let exactTotal = rows.count <= candidateCap
        let wordSet = Set(words)
        var candidates = tierZero
        let known = Set(tierZero.map(\.id))
        for row in rows.prefix(candidateCap) {
            let id: Int64 = row["id"]
            if known.contains(id) { continue }
            let searchText: String = row["search_text"]
            let nameWords = Set(Folding.words(row["first_name"]) + Folding.words(row["last_name"]))
            let tier: Int
            if nameWords == wordSet { tier = 0 }
            else if matches.allSatisfy({ $0.isWhole(in: searchText) }) { tier = 1 }
            else { tier = 2 }
            candidates.append(Candidate(id: id, tier: tier, sortKey: row["sort_key"], login: row["login"]))
        }
        tierZero = []
        candidates.sort { ($0.tier, $0.sortKey, $0.login) < ($1.tier, $1.sortKey, $1.login) }
        return (candidates, candidates.count, exactTotal)
    }

    /// One word: the whole-word tier comes out of the index already in order; prefixes fill the page after it.
    private static func singleWord(_ word: String, filter: SQLFilter, limit: Int, exact: inout [Candidate],
                                   _ db: Database) throws -> ([Candidate], Int, Bool) {
        var out = exact
        var known = Set(exact.map(\.id))
        let base = "FROM search_term t JOIN account a ON a.id = t.account_id WHERE "
        let whole = try Row.fetchAll(db.cachedStatement(sql: "SELECT t.account_id AS id, t.sort_key, a.login " + base
                                                        + "t.term = ?" + filter.sql + " ORDER BY t.sort_key LIMIT \(limit)"),
                                     arguments: [word] + filter.arguments)
        for row in whole where known.insert(row["id"]).inserted {
            out.append(Candidate(id: row["id"], tier: 1, sortKey: row["sort_key"], login: row["login"]))
        }
        let wholeCount = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 " + base + "t.term = ?"
                                                             + filter.sql + " LIMIT \(candidateCap + 1))"),
                                          arguments: [word] + filter.arguments) ?? 0
        let prefixRows = try Row.fetchAll(db.cachedStatement(sql: "SELECT t.account_id AS id, t.sort_key, a.login " + base
                                                             + "t.term > ? AND t.term < ?" + filter.sql
                                                             + " ORDER BY t.term, t.sort_key LIMIT \(candidateCap + 1)"),
                                          arguments: [word, word + WordMatch.highest] + filter.arguments)
        var prefixes: [Candidate] = []
        var prefixIds = Set<Int64>()
        for row in prefixRows.prefix(candidateCap) {
            let id: Int64 = row["id"]
            guard prefixIds.insert(id).inserted else { continue }
            if known.contains(id) { continue }
            prefixes.append(Candidate(id: id, tier: 2, sortKey: row["sort_key"], login: row["login"]))
        }
        prefixes.sort { ($0.sortKey, $0.login) < ($1.sortKey, $1.login) }
        out += prefixes
        let exactTotal = wholeCount <= candidateCap && prefixRows.count <= candidateCap
        let total = exact.count + min(wholeCount, candidateCap) + prefixes.count
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
