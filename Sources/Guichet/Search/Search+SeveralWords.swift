import GRDB

/// Several words ("zoe gerard", "nat ad", "marie laure vidal"): every word must start one of the account's terms.
///
/// Accounts are found in the index alone, from two sources:
/// - name pairs: one word (the anchor, the one that starts the fewest names) is expanded into the names it starts,
///   and each other word is looked up beside each of them in `name_pair`, one range per name, in one statement per
///   word. This finds, up to `candidateCap` rows per word, every account whose words are spread over its last and
///   first names, however common each word is alone ("marie martin").
/// - the rarest word's range of `search_term`, read when it is short or when the pairs found no one: accounts whose
///   words all fall in one name ("jean pierre", "n diaye"), or whose rarest word is a login or an alias word.
/// On each row the other words are checked without reading the account: each must occur in the register key (every
/// name word does: a word found only in a login or an alias counts as the rarest word alone), and a probe of
/// `search_term` tells whether it is a term whole. A word that occurs but not whole (a prefix, or a substring: "art"
/// in "martin") is settled on the account's `search_text`, for at most `readCap` accounts.
extension Search {
    /// At most this many account rows are read to settle the words an index row cannot (a cold row costs as much as
    /// a hundred index rows); beyond, the total is a lower bound.
    static let readCap = 100

    /// `matches` holds at most 64 distinct words (see `match`).
    static func severalWords(_ matches: [WordMatch], words: [String], filter: SQLFilter, exact tierZero: [Candidate],
                             _ db: Database) throws -> ([Candidate], Int, Bool) {
        var search = try SeveralWords(matches: matches, filter: filter, db: db)
        let settledByPairs = try search.pairs()
        if search.estimates[search.driver] <= candidateCap || !settledByPairs { try search.scan() }
        try search.settle()
        var out = tierZero
        let known = Set(tierZero.map(\.id))
        let fullName = FullName(words)
        for (id, evidence) in search.found where evidence.matched == search.all && !known.contains(id) {
            let tier = evidence.whole != search.all ? 2 : fullName.isSpelled(by: evidence.sortKey) ? 0 : 1
            out.append(Candidate(id: id, tier: tier, sortKey: evidence.sortKey))
        }
        return (out, out.count, search.exact)
    }

    /// What the index rows tell of one account: the words known to match it and those known to match it whole
    /// (bit k for word k).
    private struct Evidence {
        var sortKey: String
        var matched: UInt64 = 0
        var whole: UInt64 = 0
    }

    /// One several-word search: the evidence gathered so far, and whether the total is still exact.
    private struct SeveralWords {
        let matches: [WordMatch]
        let filter: SQLFilter
        let db: Database
        /// Every word's bit.
        let all: UInt64
        /// Whether each word is a term at all: a probe for it whole is pointless otherwise (a typed prefix, often).
        let isTerm: [Bool]
        /// How many names each word starts (up to `maximumExpansion + 1`), and how many index rows it starts (up to
        /// `candidateCap + 1`); past the smallest, each only as far as needed to tell it is not smaller.
        let sizes: [Int]
        let estimates: [Int]
        /// The word whose range the scan reads: the rarest, or one that starts no name (then it can only be a login or
        /// an alias word: "adam natou").
        let driver: Int
        var found: [Int64: Evidence] = [:]
        var exact = true

        init(matches: [WordMatch], filter: SQLFilter, db: Database) throws {
            self.matches = matches
            self.filter = filter
            self.db = db
            all = matches.count == 64 ? ~0 : (1 << UInt64(matches.count)) - 1
            isTerm = try matches.map { m in
                guard case .prefix(let w) = m else { return true }
                return try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM search_term WHERE term = ?)"),
                                         arguments: [w]) ?? false
            }
            // Each word counted no further than the smallest count so far: only the smallest matters (and whether a
            // word starts any name at all).
            var bound = maximumExpansion
            sizes = try matches.map { m in
                let size = try m.expansionSize(db, cap: bound)
                bound = min(bound, size)
                return size
            }
            bound = candidateCap
            estimates = try matches.map { m in
                let estimate = try m.estimate(db, cap: bound)
                bound = min(bound, estimate)
                return estimate
            }
            let (sizes, estimates) = (sizes, estimates)
            driver = matches.indices.min { (sizes[$0] > 0 ? 1 : 0, estimates[$0]) < (sizes[$1] > 0 ? 1 : 0, estimates[$1]) }!
        }

        /// Name pairs, around the word that starts the fewest names. Returns whether they found any account whole.
        mutating func pairs() throws -> Bool {
            let anchor = sizes.indices.min { sizes[$0] < sizes[$1] }!
            guard sizes[anchor] <= maximumExpansion else {
                exact = false   // "ma le": each word starts too many names to pair them one by one
                return false
            }
            let names = matches[anchor].namesSource
            // Whether the anchor and the other word are whole on a row: the name `v.term`, and the pair's key.
            let anchorWhole: (sql: String, arguments: StatementArguments)
            if case .prefix(let w) = matches[anchor] { anchorWhole = ("v.term = ?", [w]) } else { anchorWhole = ("1", []) }
            for other in matches.indices where other != anchor {
                let pair = matches[other].pairCondition
                let otherWhole: (sql: String, arguments: StatementArguments)
                if case .prefix(let w) = matches[other] { otherWhole = ("p.key = v.term || ?", ["\u{1}" + w]) } else { otherWhole = ("1", []) }
                let others = matches.indices.filter { $0 != anchor && $0 != other }
                let check = checks(others, on: "p")
                let statement = try db.cachedStatement(sql: "SELECT p.account_id, p.sort_key, \(anchorWhole.sql), \(otherWhole.sql)\(check.columns)"
                    + " FROM (\(names.sql)) v JOIN name_pair p ON \(pair.sql)" + filter.join("p") + " WHERE 1" + check.conditions
                    + filter.sql + " LIMIT \(candidateCap + 1)")
                let rows = try Row.fetchCursor(statement, arguments: anchorWhole.arguments + otherWhole.arguments + check.columnArguments
                                               + names.arguments + pair.arguments + check.conditionArguments + filter.arguments)
                var count = 0
                while let row = try rows.next() {
                    count += 1
                    var whole = wholeBits(row, others, from: 4)
                    if row[2] as Bool { whole |= 1 << UInt64(anchor) }
                    if row[3] as Bool { whole |= 1 << UInt64(other) }
                    note(row, matched: 1 << UInt64(anchor) | 1 << UInt64(other) | whole, whole: whole)
                }
                if count > candidateCap { exact = false }
            }
            return found.values.contains { $0.matched == all }
        }

        /// The driver's range, up to `scanCap` rows, the other words checked row by row in SQLite. Its rows need no
        /// other proof for the driver: it may be a login or an alias word.
        mutating func scan() throws {
            let others = matches.indices.filter { $0 != driver }
            let check = checks(others, on: "t")
            let range = "SELECT term, sort_key, account_id FROM search_term t WHERE \(matches[driver].termCondition) LIMIT \(scanCap)"
            let driverWhole: (sql: String, arguments: StatementArguments)
            if case .prefix(let w) = matches[driver] { driverWhole = ("t.term = ?", [w]) } else { driverWhole = ("1", []) }
            let statement = try db.cachedStatement(sql: "SELECT t.account_id, t.sort_key, \(driverWhole.sql)\(check.columns) FROM (\(range)) t"
                                                   + filter.join("t") + " WHERE 1" + check.conditions + filter.sql)
            let rows = try Row.fetchCursor(statement, arguments: driverWhole.arguments + check.columnArguments + matches[driver].termArguments
                                           + check.conditionArguments + filter.arguments)
            while let row = try rows.next() {
                var whole = wholeBits(row, others, from: 3)
                if row[2] as Bool { whole |= 1 << UInt64(driver) }
                note(row, matched: 1 << UInt64(driver) | whole, whole: whole)
            }
            if estimates[driver] > candidateCap { exact = false }
        }

        /// Words that occur in the register key but not whole, settled on `search_text`: the best placed accounts
        /// first, `readCap` of them; the others are dropped.
        mutating func settle() throws {
            let unsettled = found.filter { $0.value.matched != all }
                .sorted { ($0.value.sortKey, $0.key) < ($1.value.sortKey, $1.key) }.map(\.key)
            guard !unsettled.isEmpty else { return }
            for id in unsettled.dropFirst(readCap) { found[id] = nil }
            if unsettled.count > readCap { exact = false }
            let read = Array(unsettled.prefix(readCap))
            let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, search_text FROM account WHERE id IN ("
                                                           + Array(repeating: "?", count: read.count).joined(separator: ",") + ")"),
                                        arguments: StatementArguments(read))
            for row in rows {
                let id: Int64 = row[0]
                let searchText: String = row[1]
                var evidence = found[id]!
                for (k, m) in matches.enumerated() where evidence.matched & 1 << UInt64(k) == 0 {
                    guard m.matches(searchText: searchText) else { break }   // the account does not match
                    evidence.matched |= 1 << UInt64(k)
                    if case .prefix(let w) = m, searchText.contains(" " + w + " ") { evidence.whole |= 1 << UInt64(k) }
                }
                found[id] = evidence
            }
        }

        /// Adds what a row (account_id, sort_key, …) tells of its account.
        private mutating func note(_ row: Row, matched: UInt64, whole: UInt64) {
            let id: Int64 = row[0]
            if found[id] == nil { found[id] = Evidence(sortKey: row[1]) }
            found[id]!.matched |= matched
            found[id]!.whole |= whole
        }

        /// The checks of `others` on an index row aliased `row`: output columns (1 when the word is a term of the
        /// account whole) and conditions, each with its arguments.
        private func checks(_ others: [Int], on row: String)
            -> (columns: String, columnArguments: StatementArguments, conditions: String, conditionArguments: StatementArguments) {
            var out = (columns: "", columnArguments: StatementArguments(), conditions: "", conditionArguments: StatementArguments())
            for k in others {
                let check = matches[k].rowCheck(row, canBeWhole: isTerm[k])
                out.columns += ", " + check.column
                out.columnArguments += check.columnArguments
                out.conditions += check.condition
                out.conditionArguments += check.conditionArguments
            }
            return out
        }

        /// The bits of `others` that a row of `checks` shows whole, in its columns from `column` on.
        private func wholeBits(_ row: Row, _ others: [Int], from column: Int) -> UInt64 {
            var bits: UInt64 = 0
            for (n, k) in others.enumerated() where row[column + n] as Bool { bits |= 1 << UInt64(k) }
            return bits
        }
    }

    /// The query's words, to tell whether a register key spells the full name with them and nothing else: each half
    /// (last names, first names) is a run of query words, and every word is used. "gerard zoe" for Zoé Gérard; "le
    /// goff ewen" and "legoff ewen" for Ewen Le Goff.
    struct FullName {
        let words: [[UInt8]]
        let all: UInt64

        /// `words` holds at most 64 words.
        init(_ words: [String]) {
            self.words = words.map { Array($0.utf8) }
            all = words.count == 64 ? ~0 : (1 << UInt64(words.count)) - 1
        }

        func isSpelled(by sortKey: String) -> Bool {
            let key = Array(sortKey.utf8)
            guard let cut = key.firstIndex(of: 1) else { return false }
            let last = spellings(key[..<cut])
            guard !last.isEmpty else { return false }
            return spellings(key[(cut + 1)...]).contains { f in last.contains { l in l | f == all } }
        }

        /// The sets of words (bit k for word k) that, run together in some order, spell `text` exactly: most keys
        /// are no run of the words at all, and the others one or two.
        private func spellings(_ text: ArraySlice<UInt8>) -> [UInt64] {
            var reached = [[UInt64]](repeating: [], count: text.count + 1)
            reached[0] = [0]
            for i in 0..<text.count where !reached[i].isEmpty {
                let at = text.startIndex + i
                for (k, word) in words.enumerated() where i + word.count <= text.count && text[at..<(at + word.count)].elementsEqual(word) {
                    for used in reached[i] where !reached[i + word.count].contains(used | 1 << UInt64(k)) {
                        reached[i + word.count].append(used | 1 << UInt64(k))
                    }
                }
            }
            return reached[text.count]
        }
    }
}
