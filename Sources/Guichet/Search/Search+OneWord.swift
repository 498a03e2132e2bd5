import GRDB

extension Search {
    /// One word: the whole-word tier comes out of the index already in order; prefixes fill the page after it.
    static func oneWord(
        _ word: String, filter: SQLFilter, limit: Int, exact: [Candidate],
        _ db: Database
    ) throws -> Found {
        var out = exact
        let from: SQL = "FROM search_term t\(filter.join("t")) WHERE "
        // The whole word's rows, in register order: the first `limit` are its page, all of them (up to the cap) are
        // set aside from the prefix tier below.
        let wholeRows = try Row.fetchCursor(
            db.cachedStatement(
                literal: """
                    SELECT t.account_id, t.sort_key \(from)t.term = \(word)\(filter.sql(on: "t"))
                    ORDER BY t.sort_key, t.account_id LIMIT \(sql: String(candidateCap + 1))
                    """))
        var whole = Set<Int64>()
        while let row = try wholeRows.next() {
            let id: Int64 = row[0]
            if whole.count < limit { out.append(Candidate(id: id, tier: .wholeWords, sortKey: row[1])) }
            whole.insert(id)
        }
        // More whole matches than the cap: they fill the page and the total is a lower bound already. The prefix
        // tier would add little to it, at a high price: its first rows are the whole matches' own login words
        // ("martin1"…"martin54", "martin.adam"), each read and set aside (measured: 3 ms for "martin").
        guard whole.count <= candidateCap else {
            return Found(candidates: out, total: exact.count + candidateCap, totalIsExact: false)
        }
        // Prefixes, in term order, without the accounts of the whole word (set aside here: an index probe each was
        // twice as slow), up to `candidateCap` accounts, each at its best register key.
        let prefixRows = try Row.fetchCursor(
            db.cachedStatement(
                literal: """
                    SELECT t.account_id, t.sort_key \(from)t.term > \(word) AND t.term < \(word + WordMatch.highest)\(filter.sql(on: "t"))
                    ORDER BY t.term, t.sort_key LIMIT \(sql: String(scanCap))
                    """))
        var prefixes: [Int64: String] = [:]
        var scanned = 0
        var kept = 0
        while kept <= candidateCap, let row = try prefixRows.next() {
            scanned += 1
            let id: Int64 = row[0]
            if whole.contains(id) { continue }
            kept += 1
            let sortKey: String = row[1]
            if let known = prefixes[id], known <= sortKey { continue }
            prefixes[id] = sortKey
        }
        // Up to `candidateCap` accounts for a page of `limit`: the page's first ones picked, not all of them sorted
        // (the sort was 7% of a search's instructions over the desk's queries).
        let best = smallest(limit, of: prefixes) { ($0.value, $0.key) < ($1.value, $1.key) }
        out += best.map { Candidate(id: $0.key, tier: .prefixes, sortKey: $0.value) }
        let total = exact.count + whole.count + min(prefixes.count, candidateCap)
        return Found(candidates: out, total: total, totalIsExact: kept <= candidateCap && scanned < scanCap)
    }

    /// One word typed with a slip, widened to its near spellings: the accounts holding one of them whole, in
    /// register order. Each near spelling's rows come out of the index in that order: a page of each is merged.
    static func nearWord(_ names: [String], filter: SQLFilter, limit: Int, _ db: Database) throws -> Found {
        let from: SQL = "FROM search_term t\(filter.join("t")) WHERE "
        var out: [Candidate] = []
        for name in names {
            let statement = try db.cachedStatement(
                literal: """
                    SELECT t.account_id, t.sort_key \(from)t.term = \(name)\(filter.sql(on: "t")) ORDER BY t.sort_key, t.account_id LIMIT \(limit)
                    """)
            let rows = try Row.fetchCursor(statement)  // read in place, not copied
            while let row = try rows.next() { out.append(Candidate(id: row[0], tier: .wholeWords, sortKey: row[1])) }
        }
        // The total: the accounts among the names' first `candidateCap + 1` rows, told apart here (an account may hold
        // two of the names). `count(DISTINCT …)` built an index of them in SQLite: a fifth of a slip's search.
        let word = WordMatch.anyOf(names)
        let ids = try Int64.fetchCursor(
            db.cachedStatement(
                literal: """
                    SELECT t.account_id \(from)\(word.termCondition)\(filter.sql(on: "t")) LIMIT \(sql: String(candidateCap + 1))
                    """))
        var rows = 0
        var accounts = Set<Int64>(minimumCapacity: candidateCap + 1)
        while let id = try ids.next() {
            rows += 1
            accounts.insert(id)
        }
        return Found(candidates: out, total: accounts.count, totalIsExact: rows <= candidateCap)
    }
}
