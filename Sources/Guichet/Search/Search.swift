import Foundation
import GRDB

/// Ranked search over the index of `SearchIndex`.
///
/// Each word of the query is tolerant on its own, in any order. An account matches when every word matches one of
/// its terms, and ranks by the loosest of those matches (`MatchTier`):
/// 0. exact: the login or alias as typed, or the full name (its words in any order, spaces and hyphens optional,
///    nothing else);
/// 1. every word a whole term; 2. every word starts a term;
/// 3. near spellings: a word matches a name one edit away (5 to 8 letters) or two (9 letters or more), each edit a
///    wrong, missing or extra letter or two neighbours swapped (`NearSpelling`);
/// 4. sound-alikes: a word of 4 letters or more has the Phonex code of a name (`Phonex`).
/// In the widened tiers a word still matches the names it starts and any term it equals. Within a tier
/// (`Candidate.rank`): in tiers 3 and 4 fewer edits; a login typed from its start, the logins it starts; two words or
/// more, more of the last and first names begun by them, each by a different word, then more of the two being one of
/// the words whole; then French register order, then login.
/// Tiers 3 and 4 are looked for only while the tiers before them leave the page short,
/// and only when no account holds every word whole.
///
/// Cost is bounded, and paid in the index: tiers, totals and the order of the page come from index rows (the
/// register key `sort_key` travels with every row), so an account row is read for the page shown and for the few
/// candidates an index cannot settle. A read of a cold account row costs as much as a hundred index rows.
public enum Search {
    static let candidateCap = 600
    /// At most this many index rows of the rarest word are read when it drives the search: it bounds the cost of a
    /// query made of very common prefixes ("ma le"), whose total is then reported as a lower bound.
    static let scanCap = 3000
    /// A typed prefix stands for at most this many names (one B-tree seek each) when matched in name pairs.
    static let maximumExpansion = 1000

    public static func run(_ query: SearchQuery, in db: Database) throws -> SearchResult {
        var words = Folding.words(query.text)
        var filters = query
        if filters.className == nil, let (range, key) = try classRun(in: words, db) {
            filters.className = key
            words.removeSubrange(range)
        }
        // A class the desk asked for must say its structure when two have it; one typed among the words need not.
        let filter = try SQLFilter(filters, askedClass: query.className != nil, db)
        var found: Found
        if words.isEmpty {
            guard filter.isRestrictive else {
                return SearchResult(results: [], total: 0, totalIsExact: true, nearSpelling: false)
            }
            found = try listing(filter, limit: query.limit, db)
        } else {
            found = try match(
                words.map { WordMatch.prefix($0) }, words: words, text: query.text, filter: filter,
                limit: query.limit, db)
            // The widened tiers, while the page is short and no account holds every word whole (a name typed right
            // needs no look-alikes, and they cost most of a query): each word to the names it could have meant.
            if found.distinctCount < query.limit && !found.candidates.contains(where: { $0.tier <= .wholeWords }) {
                let widenings = try words.map { try Widening($0, db) }
                var previous = words.map { WordMatch.prefix($0) }
                // An account's edits depend on the widenings alone: the sound-alike pass finds most of the near
                // spelling pass's accounts again, and reuses their edits.
                var known: [Int64: Int] = [:]
                for tier in [MatchTier.nearSpelling, .soundAlike] where found.distinctCount < query.limit {
                    let matches = widenings.map { $0.match(upTo: tier) }
                    guard matches != previous else { continue }
                    previous = matches
                    var widened = try match(matches, words: words, text: query.text, filter: filter, limit: query.limit, db)
                    widened.candidates = try edits(
                        in: widened.candidates.map { Candidate(id: $0.id, tier: max($0.tier, tier), sortKey: $0.sortKey) },
                        widenings: widenings, known: &known, db)
                    found.merge(widened)
                }
            }
        }
        // Several words (a class counts): the accounts whose last or first name the words begin come first, and a
        // login typed from its start ("gaelle.delafo") ranks the logins it starts first.
        if words.count + (filters.className == nil ? 0 : 1) >= 2 {
            let loginStarts = try loginsStarted(by: query.text, db)
            let begun = NamesBegun(words)
            found.candidates = found.candidates.map { c in
                var c = c
                (c.namesBegun, c.namesWhole) = begun.count(in: c.sortKey)
                c.startsLogin = loginStarts.contains(c.id)
                return c
            }
        }
        let page = try page(found.candidates, limit: query.limit, db)
        let widenedFrom = page.firstIndex { $0.tier >= .nearSpelling }
        return SearchResult(
            results: page.map(\.summary), total: found.total, totalIsExact: found.totalIsExact,
            nearSpelling: widenedFrom != nil, widenedFrom: widenedFrom)
    }

    // MARK: - Tiers

    /// An account that matches, where it ranks. The login, the last tie-break, is read for the page only.
    struct Candidate {
        let id: Int64
        let tier: MatchTier
        let sortKey: String
        /// In the widened tiers, the edits between the query and the account (`edits(in:widenings:)`): within such a
        /// tier the look-alike closer to what was typed comes first ("marion braon": Marion Baron before Marin
        /// Baron). Zero in the other tiers.
        var edits = 0
        /// With a login typed from its start (a dot, no space), whether this account's login starts with it.
        var startsLogin = false
        /// With two words or more, how many of the last name and the first name they begin, each name by a different
        /// word (`NamesBegun`): "paul 1ere g29" is Paul Sousa before Jean-Paul Bouvet, "an and" Anaïs André before
        /// Achille André.
        var namesBegun = 0
        /// How many of the two names are a word whole, each a different word (`NamesBegun`): "eva mil" is Eva
        /// Millollet before Evan Millanier, "françois 3eme h" François Segot before Maëlle François-Texier.
        var namesWhole = 0

        /// The page's order: tier, fewer edits, a login started, more names begun, more names whole, register key
        /// (then the login, read for the page; the id where it is not).
        var rank: Rank {
            Rank(
                tier: tier.rawValue, edits: edits, login: startsLogin ? 0 : 1, names: -namesBegun, whole: -namesWhole,
                sortKey: sortKey)
        }

        static func before(_ a: Candidate, _ b: Candidate) -> Bool {
            a.rank < b.rank || (a.rank == b.rank && a.id < b.id)
        }
    }

    /// `Candidate.rank`, compared field by field.
    struct Rank: Comparable {
        let tier: Int, edits: Int, login: Int, names: Int, whole: Int
        let sortKey: String

        static func < (a: Rank, b: Rank) -> Bool {
            (a.tier, a.edits, a.login, a.names, a.whole, a.sortKey) < (b.tier, b.edits, b.login, b.names, b.whole, b.sortKey)
        }
    }

    /// How many of the two names of a register key ("lastwords\u{1}firstwords") the query's words begin, each name
    /// begun by a different word (0, 1 or 2), and how many of the two are such a word whole: the last name's words run
    /// together start the key, the first name's start after U+0001. A name two words begin counts once: "an and" is
    /// Anaïs André (two names begun) before Achille André (one, begun twice). Each distinct word counts once; the
    /// words are made bytes once per query, and each key is read in place (an array of each key and of each word, for
    /// each of hundreds of candidates, was 7% of "mar lem").
    struct NamesBegun {
        private let words: [[UInt8]]

        init(_ words: [String]) {
            self.words = Set(words).map { Array($0.utf8) }
        }

        func count(in sortKey: String) -> (begun: Int, whole: Int) {
            var sortKey = sortKey
            return sortKey.withUTF8 { key in
                guard let cut = key.firstIndex(of: 1) else { return (0, 0) }
                // For each of begun and whole: the words that do it to the last name, to the first name, to either.
                var begun = Names(), whole = Names()
                for w in words {
                    let inLast = Self.starts(key, from: 0, to: cut, with: w)
                    let inFirst = Self.starts(key, from: cut + 1, to: key.count, with: w)
                    begun.note(last: inLast, first: inFirst)
                    whole.note(last: inLast && cut == w.count, first: inFirst && key.count - cut - 1 == w.count)
                }
                return (begun.matched, whole.matched)
            }
        }

        /// How many words reach the last name, the first name, either: the names reached by different words are
        /// as many as the names reached, unless a single word reaches both.
        private struct Names {
            var last = 0, first = 0, either = 0

            mutating func note(last inLast: Bool, first inFirst: Bool) {
                if inLast { last += 1 }
                if inFirst { first += 1 }
                if inLast || inFirst { either += 1 }
            }

            var matched: Int { min(either, (last > 0 ? 1 : 0) + (first > 0 ? 1 : 0)) }
        }

        /// Whether `key[from..<to]` starts with `word`.
        private static func starts(_ key: UnsafeBufferPointer<UInt8>, from: Int, to: Int, with word: [UInt8]) -> Bool {
            guard to - from >= word.count else { return false }
            for k in word.indices where key[from + k] != word[k] { return false }
            return true
        }
    }

    /// The accounts whose login starts with `text` folded, when it reads as a login typed from its start (a dot,
    /// no space): a range of the login index, up to `candidateCap` logins.
    private static func loginsStarted(by text: String, _ db: Database) throws -> Set<Int64> {
        let typed = Folding.fold(text).trimmingCharacters(in: .whitespaces)
        guard typed.contains("."), !typed.contains(where: \.isWhitespace) else { return [] }
        return Set(
            try Int64.fetchAll(
                db.cachedStatement(
                    literal: """
                        SELECT id FROM account WHERE login >= \(typed) AND login < \(typed + WordMatch.highest) LIMIT \(sql: String(candidateCap))
                        """)))
    }

    /// The candidates of a widened tier with their `edits`: for each query word, the cheapest of the account's
    /// terms that are the word itself (0), one of its near spellings (its edits) or one of its sound-alikes (3); a
    /// word the account holds none of these for matched as a prefix and counts 0.
    ///
    /// A look-alike is a name, and every name word of an account occurs in its register key: only the look-alikes
    /// found in the key are probed in `search_term` (a short word's sound-alikes are hundreds; the few in the key,
    /// one seek each), and the typed words, which may be login words.
    /// `known` holds the edits already computed with these widenings, by account.
    private static func edits(
        in candidates: [Candidate], widenings: [Widening], known: inout [Int64: Int], _ db: Database
    ) throws -> [Candidate] {
        let typed = widenings.map(\.word)
        let names = LookAlikes(Set(widenings.flatMap { $0.near + $0.sounds }).subtracting(typed))
        // One seek per word, in the list's order (`IN (SELECT …)` first copied the list into a temporary index); a
        // term listed twice only repeats a cost. The statement is found once, its arguments bound per candidate: its
        // SQL made and looked up again for each candidate cost about 27k instructions of a 70k probe.
        let statement = try db.cachedStatement(
            sql: """
                SELECT t.term FROM json_each(?) j CROSS JOIN search_term t ON t.term = j.value AND t.sort_key = ? AND t.account_id = ?
                """)
        return try candidates.map { c in
            var c = c
            if let edits = known[c.id] {
                c.edits = edits
            } else {
                let inKey = names.found(in: c.sortKey)
                let probed = WordMatch.jsonList(typed + inKey)
                let held = try String.fetchAll(statement, arguments: [probed, c.sortKey, c.id])
                c.edits = widenings.map { w in held.compactMap(w.cost).min() ?? 0 }.reduce(0, +)
                known[c.id] = c.edits
            }
            return c
        }
    }

    /// What one pass over the index found: candidates (the best of each tier, at least a page of them), how many
    /// accounts match, and whether that count is exact or a lower bound.
    struct Found {
        var candidates: [Candidate]
        var total: Int
        var totalIsExact: Bool

        var distinctCount: Int { Set(candidates.map(\.id)).count }

        /// Adds the accounts of a wider pass: it counts the accounts of this one again.
        mutating func merge(_ wider: Found) {
            candidates += wider.candidates
            total = max(total, wider.total, distinctCount)
            totalIsExact = totalIsExact && wider.totalIsExact
        }
    }

    /// One result of the page, and the tier it was found in.
    struct Ranked {
        let summary: AccountSummary
        let tier: MatchTier
    }

    /// Every account the query's words select, best first; `total` counts them (capped for very common prefixes).
    private static func match(
        _ matches: [WordMatch], words: [String], text: String, filter: SQLFilter, limit: Int,
        _ db: Database
    ) throws -> Found {
        // A whole login or alias typed comes first; the accounts its words find follow it (the logins it starts
        // first): "melissa.bertin" is Mélissa Bertin, then melissa.bertin1 and melissa.bertin-marchais, as
        // "melissa.berti" showed them a letter before.
        let tierZero = try exactHandles(text, filter: filter, db)
        // `severalWords` keeps a bit per word: past 64 words (a pasted text, not a name), nobody.
        guard words.count <= 64 else { return Found(candidates: tierZero, total: tierZero.count, totalIsExact: true) }
        // A class search reads the class's rows when they are fewer than the word's: `severalWords` chooses.
        if matches.count == 1 && filter.classKey == nil {
            switch matches[0] {
            case .prefix(let word): return try oneWord(word, filter: filter, limit: limit, exact: tierZero, db)
            case .anyOf(let names, _): return try nearWord(names, filter: filter, limit: limit, db)
            }
        }
        return try severalWords(matches, words: words, filter: filter, exact: tierZero, db)
    }

    /// The first `limit` candidates, loaded. The cut is made in (tier, register key, id) order, the index's own;
    /// accounts of one tier and one register key (namesakes) are then shown by login.
    private static func page(_ ranked: [Candidate], limit: Int, _ db: Database) throws -> [Ranked] {
        let chosen = firstAccounts(ranked, limit: limit)
        let summaries = try AccountSummaries.load(ids: chosen.map(\.id), db)
        let loaded: [(candidate: Candidate, summary: AccountSummary)] = chosen.compactMap { c in
            summaries[c.id].map { (c, $0) }
        }
        return loaded.sorted { a, b in
            let (x, y) = (a.candidate.rank, b.candidate.rank)
            return x < y || (x == y && a.summary.login < b.summary.login)
        }.map { Ranked(summary: $0.summary, tier: $0.candidate.tier) }
    }

    /// The first `limit` accounts of `ranked` in `Candidate.before` order, each at its best candidate: what sorting
    /// every candidate and keeping each account's first gives, without sorting them all (hundreds of candidates, two
    /// ranks built for each comparison: 9% of "mar lem"). Each rank is built once; an account's best goes in the kept
    /// ones, in order, only when it comes before the last of them. Two accounts never tie (the id breaks it), so the
    /// accounts' order of visit does not matter.
    static func firstAccounts(_ ranked: [Candidate], limit: Int) -> [Candidate] {
        let ranks = ranked.map(\.rank)
        func before(_ i: Int, _ j: Int) -> Bool {
            ranks[i] < ranks[j] || (ranks[i] == ranks[j] && ranked[i].id < ranked[j].id)
        }
        // Each account's best candidate; of equal ones the first, as a stable sort keeps them.
        var best: [Int64: Int] = [:]
        best.reserveCapacity(ranked.count)
        for i in ranked.indices {
            if let j = best[ranked[i].id], !before(i, j) { continue }
            best[ranked[i].id] = i
        }
        return smallest(limit, of: best.values, by: before).map { ranked[$0] }
    }

    /// The first `limit` of `elements` in `before`'s order, in that order: what sorting them all and keeping the
    /// first `limit` gives when no two elements tie, without sorting them all (hundreds of candidates for a page of
    /// twenty). Each element is compared with the last one kept; only those that come before it are placed.
    static func smallest<Element>(
        _ limit: Int, of elements: some Sequence<Element>, by before: (Element, Element) -> Bool
    ) -> [Element] {
        var kept: [Element] = []
        kept.reserveCapacity(limit + 1)
        for element in elements {
            if kept.count == limit, let last = kept.last, !before(element, last) { continue }
            var (low, high) = (0, kept.count)
            while low < high {
                let middle = (low + high) / 2
                if before(kept[middle], element) { low = middle + 1 } else { high = middle }
            }
            kept.insert(element, at: low)
            if kept.count > limit { kept.removeLast() }
        }
        return kept
    }

    /// The login or alias typed in full (folded): the surest match there is.
    private static func exactHandles(_ text: String, filter: SQLFilter, _ db: Database) throws -> [Candidate] {
        let handle = Folding.fold(text).trimmingCharacters(in: .whitespaces)
        guard !handle.isEmpty, !handle.contains(" ") else { return [] }
        let rows = try Row.fetchAll(
            db.cachedStatement(
                literal: """
                    SELECT a.id, a.sort_key FROM account a WHERE (a.login = \(handle) OR a.alias = \(handle))\(filter.onAccountRow)
                    """))
        return rows.map { Candidate(id: $0[0], tier: .exact, sortKey: $0[1]) }
    }

    /// No words, only filters: the class (or everyone) in register order, a class from its own index rows.
    private static func listing(_ filter: SQLFilter, limit: Int, _ db: Database) throws -> Found {
        let select: SQL
        let count: Int
        if let classKey = filter.classKey {
            let others = filter.withoutClass
            select =
                "SELECT t.account_id AS id, t.sort_key FROM account_class t\(others.join("t")) WHERE t.class_key = \(classKey)\(others.sql(on: "t"))"
            // Counted flat, to the end: a class is a school's class (a bounding subquery cost more than the count).
            count = try Int.fetchOne(db.cachedStatement(literal: "SELECT count(*) FROM (\(select))")) ?? 0
        } else {
            select = "SELECT a.id, a.sort_key FROM account a WHERE 1\(filter.onAccountRow)"
            count = try Int.fetchOne(db.cachedStatement(literal: "SELECT count(*) FROM (\(select) LIMIT 10001)")) ?? 0
        }
        let rows = try Row.fetchAll(db.cachedStatement(literal: "\(select) ORDER BY 2, 1 LIMIT \(limit)"))
        return Found(
            candidates: rows.map { Candidate(id: $0[0], tier: .wholeWords, sortKey: $0[1]) }, total: min(count, 10000),
            totalIsExact: count <= 10000)
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
