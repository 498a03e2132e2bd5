import GRDB

/// Several words ("zoe gerard", "nat ad", "marie laure vidal"): every word must start one of the account's terms.
///
/// A word that another typed word begins is left out of the search (it matches wherever that one does; see
/// `severalWords`). Accounts are found in the index alone, from two sources, and a third when the second is skipped:
/// - name pairs: one word (the anchor, the one that starts the fewest names) is expanded into the names it starts,
///   and each other word is looked up beside each of them in `name_pair`, one range per name, in one statement per
///   word. This finds, up to `candidateCap` rows per word, every account whose words are spread over its last and
///   first names, however common each word is alone ("marie martin").
/// - the rarest word's range of `search_term`, read when it is short or when the pairs found no one: accounts whose
///   words all fall in one name ("jean pierre", "n diaye"), or whose rarest word is a login or an alias word. For a
///   class search (one word or more), the class's rows of `account_class` instead, unless a word is shorter.
/// - when every word is too common for that read: the ranges of `search_term` of the words run together in each order
///   (`joinedNames`), for the names that hold them one after the other ("laurent pons": Patrick Pons-Laurent).
/// On each row the other words are checked without reading the account: each must occur in the register key (every
/// name word does: a word found only in a login or an alias counts as the rarest word alone), and a probe of
/// `search_term` (or, for a rare term, its accounts read once) tells whether it is a term whole. A word that occurs
/// but not whole (a prefix, or a substring: "art" in "martin") is settled on the account's `search_text`, for at most
/// `readCap` accounts.
extension Search {
    /// At most this many account rows are read to settle the words an index row cannot (a cold row costs as much as
    /// a hundred index rows); beyond, the total is a lower bound.
    static let readCap = 100
    /// At most this many ranges of `name_pair` keys (one B-tree seek each) are read for one pair of words
    /// (`pairRanges`).
    static let pairRangeCap = 2000

    /// `matches` holds at most 64 words (see `match`).
    ///
    /// A typed word that another typed word begins ("ngo" in "bao ngoc ngo", "n" in "nafissatou n diaye") matches
    /// every account that one matches: a term that starts with "ngoc" starts with "ngo". It is left out of the search,
    /// which is the other words' ("bao ngoc": its rows checked for one word, not two, and no account row read to find
    /// "ngo" inside "ngoc"); whether it is a term whole is asked only of the accounts that hold every other word
    /// whole, the only ones whose tier it can change, a seek each.
    static func severalWords(
        _ matches: [WordMatch], words: [String], filter: SQLFilter, exact tierZero: [Candidate],
        _ db: Database
    ) throws -> Found {
        let begun: [String] = matches.indices.compactMap { k in
            guard case .prefix(let w) = matches[k] else { return nil }
            let isBegun = matches.contains { m in
                guard case .prefix(let v) = m else { return false }
                return v != w && v.hasPrefix(w)
            }
            return isBegun ? w : nil
        }
        let searched = matches.filter { m in
            guard case .prefix(let w) = m else { return true }
            return !begun.contains(w)
        }
        var search = try SeveralWords(matches: searched, filter: filter, db: db)
        let settledByPairs = try search.pairs()
        if search.driverRows <= candidateCap || !settledByPairs {
            try search.scan()
        } else {
            // Name pairs cannot find an account whose words all fall in one of its names (Patrick Pons-Laurent for
            // "laurent pons"); the scan does, but every word is too common to read (a school's words have fewer rows:
            // scanned). The names holding the words one after the other are looked for instead (`joinedNames`).
            try search.joinedNames()
        }
        try search.settle()
        var out = tierZero
        let known = Set(tierZero.map(\.id))
        // One word alone is a whole-word match at best, as without a class.
        let fullName = words.count > 1 ? FullName(words) : nil
        let matched = search.found.filter { $0.value.matched == search.all && !known.contains($0.key) }
        // The accounts that hold every searched word whole and every begun word too.
        var wholeIDs = Set(matched.filter { $0.value.whole == search.all }.keys)
        for w in begun where !wholeIDs.isEmpty {
            if let holding = try accountsHolding(w, upTo: 4 * wholeIDs.count, db) {
                wholeIDs.formIntersection(holding)
            } else {
                wholeIDs = try holdingTerm(w, among: wholeIDs.map { ($0, matched[$0]!.sortKey) }, db)
            }
        }
        for (id, evidence) in matched {
            let tier: MatchTier =
                !wholeIDs.contains(id)
                ? .prefixes
                : fullName?.isSpelled(by: evidence.sortKey) == true ? .exact : .wholeWords
            out.append(Candidate(id: id, tier: tier, sortKey: evidence.sortKey))
        }
        return Found(candidates: out, total: out.count, totalIsExact: search.exact)
    }

    /// Those of `accounts` (id, register key) that hold `term` whole: one statement, a seek each, the accounts passed
    /// as a JSON object of `register key: id` members (a bound statement run once per account cost some 15k
    /// instructions more each). Register keys hold folded letters and digits, and U+0001, written as JSON's escape.
    private static func holdingTerm(_ term: String, among accounts: [(Int64, String)], _ db: Database) throws
        -> Set<Int64>
    {
        var json: [UInt8] = [UInt8(ascii: "{")]
        for (n, (id, sortKey)) in accounts.enumerated() {
            if n > 0 { json.append(UInt8(ascii: ",")) }
            json.append(UInt8(ascii: "\""))
            for byte in sortKey.utf8 {
                if byte == SearchIndex.keySeparatorByte {
                    json.append(contentsOf: #"\u0001"#.utf8)
                } else {
                    json.append(byte)
                }
            }
            json.append(contentsOf: "\":\(id)".utf8)
        }
        json.append(UInt8(ascii: "}"))
        let statement = try db.cachedStatement(
            sql: """
                SELECT j.value FROM json_each(?) j CROSS JOIN search_term t ON t.term = ? AND t.sort_key = j.key AND t.account_id = j.value
                """)
        return Set(try Int64.fetchAll(statement, arguments: [String(decoding: json, as: UTF8.self), term]))
    }

    /// The accounts that hold `term` whole, read from its range of `search_term` when it has at most `cap` rows; nil
    /// past it. Reading a row of a range costs about a tenth of a seek: for a term no commoner than the rows to check,
    /// one read of its accounts replaces a probe per row ("ngoc", 662 rows, for Bao Ngoc's 600).
    static func accountsHolding(_ term: String, upTo cap: Int, _ db: Database) throws -> Set<Int64>? {
        let count =
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM search_term WHERE term = ? LIMIT ?)"),
                arguments: [term, cap + 1]) ?? 0
        guard count <= cap else { return nil }
        return Set(
            try Int64.fetchAll(
                db.cachedStatement(sql: "SELECT account_id FROM search_term WHERE term = ?"), arguments: [term]))
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
        /// Whose index rows the scan reads.
        enum Driver {
            /// The rarest word, or one that starts no name (then it can only be a login or an alias word: "adam natou").
            case word(Int)
            /// The class of a class search ("gerard 2nde 3"), unless a word has fewer rows (up to `candidateCap`).
            case classRows(String)
            /// The terms that start with the words run together in some order ("ponslaurent" for "laurent pons"), a
            /// JSON list of those runs: a name holding them all, one after the other, is one such term (`joinedNames`).
            case joined(String)
        }

        let matches: [WordMatch]
        let filter: SQLFilter
        let db: Database
        /// Every word's bit.
        let all: UInt64
        /// Whether each word is a term at all: a probe for it whole is pointless otherwise (a typed prefix, often).
        let isTerm: [Bool]
        /// The names of each widened word (`.anyOf`), checked on an index row here rather than in SQLite
        /// (`holdsLookAlike`); nil for a typed prefix.
        let lookAlikes: [LookAlikes?]
        /// How many names each word starts (up to `maximumExpansion + 1`); past the smallest, each only as far as
        /// needed to tell it is not smaller.
        let sizes: [Int]
        let driver: Driver
        /// `holdsLookAlike`'s statement, found once when a word is widened: its SQL made and looked up again for each
        /// row checked cost about as much as its seeks.
        let lookAlikeProbe: Statement?
        /// How many rows the driver has, up to `candidateCap + 1`.
        let driverRows: Int
        var found: [Int64: Evidence] = [:]
        var exact = true
        /// For a typed word whose whole term has few rows, the accounts that hold it (`readWholeTerms`): its row
        /// check then asks only whether it starts a name, and `states` looks the account up here, where a probe of
        /// `search_term` per row cost a seek each.
        var holding: [Set<Int64>?]

        init(matches: [WordMatch], filter: SQLFilter, db: Database) throws {
            self.matches = matches
            self.filter = filter
            self.db = db
            holding = Array(repeating: nil, count: matches.count)
            all = matches.count == 64 ? ~0 : (1 << UInt64(matches.count)) - 1
            lookAlikes = matches.map { m in
                guard case .anyOf(let terms, _) = m else { return nil }
                return LookAlikes(terms)
            }
            lookAlikeProbe =
                lookAlikes.contains { $0 != nil }
                ? try db.cachedStatement(
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM json_each(?) j CROSS JOIN search_term t ON t.term = j.value AND t.sort_key = ? AND t.account_id = ?)
                        """) : nil
            isTerm = try matches.map { m in
                guard case .prefix(let w) = m else { return true }
                return try Bool.fetchOne(
                    db.cachedStatement(literal: "SELECT EXISTS (SELECT 1 FROM search_term WHERE term = \(w))")) ?? false
            }
            // Each count goes no further than the smallest so far: only the smallest matters (and whether a word
            // starts any name at all).
            var bound = maximumExpansion
            sizes = try matches.map { m in
                let size = try m.expansionSize(db, cap: bound)
                bound = min(bound, size)
                return size
            }
            let (rarest, rarestRows) = try WordMatch.rarest(matches, sizes: sizes, cap: candidateCap) { k, cap in
                try matches[k].estimate(db, cap: cap)
            }
            // A class's rows cost a test of the register key each (80 ns), a word's rows a probe of the class each
            // (300 ns): the class drives unless a word is short and shorter.
            if sizes[rarest] > 0, let classKey = filter.classKey {
                var classRows = candidateCap + 1
                if rarestRows <= candidateCap {
                    classRows =
                        try Int.fetchOne(
                            db.cachedStatement(
                                literal: """
                                    SELECT count(*) FROM (SELECT 1 FROM account_class WHERE class_key = \(classKey) LIMIT \(rarestRows + 1))
                                    """)) ?? 0
                }
                if classRows <= rarestRows {
                    (driver, driverRows) = (.classRows(classKey), classRows)
                    return
                }
            }
            (driver, driverRows) = (.word(rarest), rarestRows)
        }

        /// Name pairs, around the word that starts the fewest names. Returns whether they found an account on every word.
        ///
        /// The keys read are built here (`pairRanges`), or for two typed prefixes made from the vocabulary by the
        /// statement, and read in one statement per other word, one B-tree seek per range: a statement reads at most `pairRangeCap` ranges (a pair of words past it is left to `scan`) and
        /// `candidateCap + 1` rows (`scanCap` when a third word is widened, checked on each row in Swift).
        mutating func pairs() throws -> Bool {
            guard matches.count > 1 else { return false }
            let anchor = sizes.indices.min { sizes[$0] < sizes[$1] }!
            guard sizes[anchor] <= maximumExpansion else {
                exact = false  // "ma le": each word starts too many names to pair them one by one
                return false
            }
            var anchorNames: [String]? = nil
            for other in matches.indices where other != anchor {
                // The ranges, and whether a row's key has the anchor's name as its second part.
                let ranges: SQL
                let flipped: SQL
                if case .prefix(let prefix) = matches[anchor], case .prefix(let otherPrefix) = matches[other] {
                    // Two typed prefixes: the anchor's names are read from the vocabulary by the statement itself,
                    // each name one range after it, in the order `pairRanges` would list them, without making each
                    // name a Swift string and its range JSON (a tenth of "mar lem": 691 names).
                    ranges = """
                        name_vocabulary k CROSS JOIN name_pair p ON p.key >= k.term || char(1) || \(otherPrefix) AND p.key <= k.term || char(1) || \(otherPrefix) || char(1114111) AND k.term >= \(prefix) AND k.term < \(prefix + WordMatch.highest)
                        """
                    flipped = "0"
                } else {
                    if anchorNames == nil { anchorNames = try started(by: matches[anchor]) }
                    guard let json = pairRanges(anchorNames!, anchor: matches[anchor], other: matches[other]) else {
                        return false
                    }
                    // One seek per range, in the object's order: each member is a range's first key and its kind
                    // (`PairRange.Kind`), from which its last key is made once per range.
                    ranges = """
                        json_each(\(json)) k CROSS JOIN name_pair p ON p.key >= k.key AND p.key <= CASE k.value WHEN 2 THEN k.key WHEN 5 THEN substr(k.key, 1, length(k.key) - 1) || char(1114111) ELSE k.key || char(1114111) END
                        """
                    flipped = "k.value & 1"
                }
                let others = matches.indices.filter { $0 != anchor && $0 != other }
                let checkedHere = others.contains { lookAlikes[$0] != nil }
                let check = checks(others, on: "p")
                // A widened third word is checked on the rows read: they are then at most `scanCap`.
                let statement = try db.cachedStatement(
                    literal: """
                        SELECT p.account_id, p.sort_key, p.key, \(flipped)\(check.columns) FROM \(ranges)\(filter.join("p"))
                        WHERE 1\(check.conditions)\(filter.sql(on: "p")) LIMIT \(sql: String(checkedHere ? scanCap : candidateCap + 1))
                        """)
                let rows = try Row.fetchCursor(statement)
                var (read, count) = (0, 0)
                while count <= candidateCap, let row = try rows.next() {
                    read += 1
                    guard var (matched, whole) = try states(row, others, from: 4) else { continue }
                    count += 1
                    matched |= 1 << UInt64(anchor) | 1 << UInt64(other)
                    let key: String = row[2]
                    let flipped: Bool = row[3]
                    // The separator is one ASCII byte: found in the UTF-8 view. `split(separator:)` with a String
                    // separator went through a generic substring searcher, a third of "mar lem"'s time.
                    if let cut = key.utf8.firstIndex(of: SearchIndex.keySeparatorByte) {
                        let (first, second) = (key[..<cut], key[key.utf8.index(after: cut)...])
                        if matches[anchor].isWhole(flipped ? second : first) { whole |= 1 << UInt64(anchor) }
                        if matches[other].isWhole(flipped ? first : second) { whole |= 1 << UInt64(other) }
                    }
                    note(row, matched: matched, whole: whole)
                }
                if count > candidateCap || (checkedHere && read == scanCap) { exact = false }
            }
            return found.values.contains { $0.matched == all }
        }

        /// The anchor's names that start with its prefix, if it has one: the vocabulary's for a typed prefix (at most
        /// `maximumExpansion`: the anchor's size), those of its list for a widened word.
        private func started(by anchor: WordMatch) throws -> [String] {
            switch (anchor, anchor.pairNames.prefix) {
            case (_, nil): return []
            case (.anyOf(let terms, _), let prefix?): return terms.filter { $0.hasPrefix(prefix) }
            case (.prefix, let prefix?):
                return try String.fetchAll(
                    db.cachedStatement(
                        literal: """
                            SELECT term FROM name_vocabulary WHERE term >= \(prefix) AND term < \(prefix + WordMatch.highest) LIMIT \(sql: String(maximumExpansion))
                            """))
            }
        }

        /// The ranges of `name_pair` keys that pair the anchor's names with the other word's, as a JSON object of
        /// `first key: kind` members (`PairRange.Kind`: the last key and whether the range is flipped, that is whether
        /// the anchor's name is the key's second part), in key order; nil past `pairRangeCap`. With A the anchor's
        /// started names (`anchorNames`), P its prefix and L its listed names, and P′, L′ the other word's: each of A
        /// with P′ is a range, each of L′ with P a range, each of L with P′ a range, each of L with each of L′ a key —
        /// |A| + |L′| + |L| + |L|·|L′| ranges, where pairing every name of one side with every name of the other (the
        /// widened tiers' hundreds of names a side) made as many seeks as their product.
        ///
        /// Written as bytes, each range once: an array of `[low, high, flipped]` arrays built as Swift strings took a
        /// fifth of "mar lem" (691 ranges), and SQLite parsed each range's array again for each of its three fields.
        private func pairRanges(_ anchorNames: [String], anchor: WordMatch, other: WordMatch) -> String? {
            let (prefix, listed) = anchor.pairNames
            let (otherPrefix, otherListed) = other.pairNames
            let count =
                (otherPrefix == nil ? 0 : anchorNames.count + listed.count) + (prefix == nil ? 0 : otherListed.count)
                + listed.count * otherListed.count
            guard count <= pairRangeCap else { return nil }
            var ranges: [PairRange] = []
            ranges.reserveCapacity(count)
            if let otherPrefix {
                for name in anchorNames { ranges.append(PairRange(first: name, low: otherPrefix, kind: .prefix)) }
                for name in listed { ranges.append(PairRange(first: name, low: otherPrefix, kind: .prefix)) }
            }
            if let prefix {
                // The vocabulary holds words of two letters or more: a one-letter prefix's range starts past the
                // letter itself, as its started names do ("0" sorts before every other letter or digit).
                let oneLetter = prefix.unicodeScalars.count < 2
                let low = oneLetter ? prefix + "0" : prefix
                for name in otherListed {
                    ranges.append(PairRange(first: name, low: low, kind: oneLetter ? .flippedPastLetter : .flipped))
                }
            }
            for name in listed {
                for otherName in otherListed { ranges.append(PairRange(first: name, low: otherName, kind: .key)) }
            }
            ranges.sort { ($0.first, $0.low) < ($1.first, $1.low) }
            // Folded words hold letters and digits only: nothing in them needs escaping; U+0001 is written as JSON's
            // escape.
            var json: [UInt8] = [UInt8(ascii: "{")]
            json.reserveCapacity(ranges.reduce(2) { $0 + $1.first.utf8.count + $1.low.utf8.count + 14 })
            for (n, r) in ranges.enumerated() {
                if n > 0 { json.append(UInt8(ascii: ",")) }
                json.append(UInt8(ascii: "\""))
                json.append(contentsOf: r.first.utf8)
                json.append(contentsOf: #"\u0001"#.utf8)
                json.append(contentsOf: r.low.utf8)
                json.append(contentsOf: "\":".utf8)
                json.append(UInt8(ascii: "0") + r.kind.rawValue)
            }
            json.append(UInt8(ascii: "}"))
            return String(decoding: json, as: UTF8.self)
        }

        /// One range of `name_pair` keys: from "first\u{1}low" to the last key its kind tells.
        private struct PairRange {
            /// What a range's member value in `pairRanges` says: bit 0, flipped (the anchor's name is the key's second
            /// part); the last key, "first\u{1}low" itself for a key, else that key's prefix range (without the "0"
            /// that starts a one-letter prefix's range past the letter: "first\u{1}low" minus its last character).
            enum Kind: UInt8 {
                case prefix = 0, flipped = 1, key = 2, flippedPastLetter = 5
            }
            let first: String
            let low: String
            let kind: Kind
        }

        /// The driver's rows, the words checked row by row in SQLite: a word's up to `scanCap`; a class's all, in
        /// one flat scan of `account_class` (a school's class holds about a hundred accounts; the benchmark's
        /// 14,000 take 1.1 ms, and a bounded subquery would have cost 0.8 ms more). A word that drives needs no
        /// other proof: it may be a login or an alias word.
        mutating func scan(_ driver: Driver? = nil) throws {
            let driver = driver ?? self.driver
            let source: SQL
            let driverWhole: SQL
            let others: [Int]
            var filter = filter
            switch driver {
            case .word(let k):
                others = matches.indices.filter { $0 != k }
                if case .prefix(let w) = matches[k] { driverWhole = "t.term = \(w)" } else { driverWhole = "1" }
                let range: SQL = "SELECT term, sort_key, account_id FROM search_term t WHERE \(matches[k].termCondition)"
                source = range + " LIMIT \(sql: String(scanCap))"
                // The same rows counted up to `scanCap + 1`: `estimate`, which reads a widened word's names in the
                // list's order (a count needs no order) without copying the list into a temporary index first.
                if driverRows > candidateCap, try matches[k].estimate(db, cap: scanCap) > scanCap { exact = false }
            case .classRows(let classKey):
                others = Array(matches.indices)
                filter = filter.withoutClass
                source = "SELECT sort_key, account_id FROM account_class WHERE class_key = \(classKey)"
                driverWhole = "0"
            case .joined(let runs):
                others = Array(matches.indices)
                source =
                    "SELECT t.term, t.sort_key, t.account_id FROM \(Self.joinedRanges(runs)) LIMIT \(sql: String(candidateCap))"
                driverWhole = "0"
            }
            // A run-together name's rows are few: a probe each costs less than a term's accounts read.
            if case .joined = driver {} else { try readWholeTerms(others, rows: max(driverRows, candidateCap)) }
            let check = checks(others, on: "t")
            let statement = try db.cachedStatement(
                literal: """
                    SELECT t.account_id, t.sort_key, \(driverWhole)\(check.columns) FROM (\(source)) t\(filter.join("t"))
                    WHERE 1\(check.conditions)\(filter.sql(on: "t"))
                    """)
            let rows = try Row.fetchCursor(statement)
            while let row = try rows.next() {
                guard var (matched, whole) = try states(row, others, from: 3) else { continue }
                if case .word(let k) = driver {
                    matched |= 1 << UInt64(k)
                    if row[2] as Bool { whole |= 1 << UInt64(k) }
                }
                note(row, matched: matched, whole: whole)
            }
        }

        /// When the scan is skipped (every word too common to read), the accounts whose name holds all the words one
        /// after the other from its start, the earlier ones whole: each order of two or three typed words run
        /// together is a range of `search_term` (a name of several words is also a term run together), up to
        /// `candidateCap` rows (past it, the total is a lower bound). "laurent pons" finds Patrick Pons-Laurent
        /// ("ponslaurent"), which name pairs cannot (one name holds both words). Not looked for: a name holding them
        /// behind another word or apart ("laure vidal" in Marie-Laure-Vidal), or with an earlier word typed as a
        /// prefix ("laur pons") — at a million accounts, and only when every word is that common.
        mutating func joinedNames() throws {
            var typed: [String] = []
            for m in matches {
                guard case .prefix(let w) = m else { return }
                typed.append(w)
            }
            guard (2...3).contains(typed.count) else { return }
            let orders =
                typed.count == 2
                ? [[0, 1], [1, 0]] : [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
            // One statement for every order, each run a range: a statement (and a count) per order cost about 0.45M
            // instructions each, 2.8M for three words.
            let runs = WordMatch.jsonList(Set(orders.map { $0.map { typed[$0] }.joined() }).sorted())
            let count =
                try Int.fetchOne(
                    db.cachedStatement(
                        literal:
                            "SELECT count(*) FROM (SELECT 1 FROM \(Self.joinedRanges(runs)) LIMIT \(sql: String(candidateCap + 1)))"
                    )) ?? 0
            if count > candidateCap { exact = false }
            if count > 0 { try scan(.joined(runs)) }
        }

        /// The rows of `search_term` whose term starts with one of `runs` (a JSON list), aliased `t`.
        private static func joinedRanges(_ runs: String) -> SQL {
            "json_each(\(runs)) j CROSS JOIN search_term t ON t.term >= j.value AND t.term < j.value || char(1114111)"
        }

        /// Words that occur in the register key but not at the start of a name, settled on `search_text`: the best
        /// placed accounts first, `readCap` of them; the others are dropped.
        mutating func settle() throws {
            let unsettled = found.filter { $0.value.matched != all }
                .sorted { ($0.value.sortKey, $0.key) < ($1.value.sortKey, $1.key) }.map(\.key)
            guard !unsettled.isEmpty else { return }
            for id in unsettled.dropFirst(readCap) { found[id] = nil }
            if unsettled.count > readCap { exact = false }
            let read = unsettled.prefix(readCap).map(String.init).joined(separator: ",")
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    literal: "SELECT a.id, a.search_text FROM json_each(\("[" + read + "]")) i JOIN account a ON a.id = i.value"))
            for row in rows {
                let id: Int64 = row[0]
                let searchText: String = row[1]
                var evidence = found[id]!
                for (k, m) in matches.enumerated() where evidence.matched & 1 << UInt64(k) == 0 {
                    guard m.matches(searchText: searchText) else { break }  // the account does not match
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

        /// Reads the accounts holding each of `others` whole (`holding`) whose term has no more rows than twice the
        /// `rows` about to be checked.
        private mutating func readWholeTerms(_ others: [Int], rows: Int) throws {
            for k in others where holding[k] == nil && isTerm[k] {
                guard case .prefix(let w) = matches[k] else { continue }
                holding[k] = try Search.accountsHolding(w, upTo: 2 * rows, db)
            }
        }

        /// The checks of `others` on an index row aliased `row` (see `WordMatch.rowCheck`): output columns, each
        /// after a comma, and conditions. The widened words are left to `states`.
        private func checks(_ others: [Int], on row: String) -> (columns: SQL, conditions: SQL) {
            var out: (columns: SQL, conditions: SQL) = ("", "")
            for k in others {
                guard case .prefix(let w) = matches[k] else { continue }
                let check = WordMatch.rowCheck(prefix: w, row, canBeWhole: isTerm[k] && holding[k] == nil)
                out.columns += ", " + check.column
                out.conditions += check.condition
            }
            return out
        }

        /// The bits of `others` that a row (account_id, sort_key, …) of `checks` shows matched, and whole, in its
        /// columns from `column` on; a widened word is checked here (`holdsLookAlike`). Nil when a widened word does
        /// not match the row's account.
        private func states(_ row: Row, _ others: [Int], from column: Int) throws -> (matched: UInt64, whole: UInt64)? {
            var matched: UInt64 = 0
            var whole: UInt64 = 0
            var n = column
            for k in others {
                if let names = lookAlikes[k] {
                    guard try holdsLookAlike(k, names, id: row[0], sortKey: row[1]) else { return nil }
                    matched |= 1 << UInt64(k)
                    whole |= 1 << UInt64(k)
                    continue
                }
                var state: Int = row[n]
                n += 1
                if let holding = holding[k], holding.contains(row[0]) { state = 2 }
                if state >= 1 { matched |= 1 << UInt64(k) }
                if state == 2 { whole |= 1 << UInt64(k) }
            }
            return (matched, whole)
        }

        /// Whether the account holds one of widened word k's names whole. A name word occurs in the register key:
        /// only the names found in it are probed in `search_term` (one statement, a seek each), with the typed word
        /// itself, which may be a login or an alias word. In SQLite, each row parsed the whole list and probed every
        /// name of it: rows × names seeks ("marti bras": 189M instructions a pass, 2.3M now). The names are read
        /// from `json_each` in the list's order, each a seek: `IN (SELECT …)` first copied them into a temporary index.
        private func holdsLookAlike(_ k: Int, _ names: LookAlikes, id: Int64, sortKey: String) throws -> Bool {
            let inKey = names.found(in: sortKey)
            guard !inKey.isEmpty else { return false }
            guard case .anyOf(_, let typed) = matches[k] else { return false }
            let probed = WordMatch.jsonList(inKey + (typed.map { [$0] } ?? []))
            guard let lookAlikeProbe else { return false }
            return try Bool.fetchOne(lookAlikeProbe, arguments: [probed, sortKey, id]) ?? false
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
                for (k, word) in words.enumerated()
                where i + word.count <= text.count && text[at..<(at + word.count)].elementsEqual(word) {
                    for used in reached[i] where !reached[i + word.count].contains(used | 1 << UInt64(k)) {
                        reached[i + word.count].append(used | 1 << UInt64(k))
                    }
                }
            }
            return reached[text.count]
        }
    }
}
