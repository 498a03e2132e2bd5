import GRDB

extension Search {
    /// The names one query word may have meant, for the widened tiers: near spellings (`NearSpelling`), sound-alikes
    /// (`Phonex`, words of 4 letters or more), and, so that the other words may stay as typed, the names it starts and
    /// the word itself when it is a term.
    struct Widening {
        let word: String
        let near: [String]
        let sounds: [String]
        /// The vocabulary's names that start with the word, itself included; nil when there are more than
        /// `maximumExpansion` (a short word: it is then matched as a prefix, and not widened).
        let started: [String]?
        let isTerm: Bool

        static let soundMinimumLength = 4

        init(_ word: String, _ db: Database) throws {
            self.word = word
            near = try NearSpelling.alternatives(of: word, db)
            let code = word.unicodeScalars.count >= Self.soundMinimumLength ? Phonex.code(word) : ""
            sounds =
                code.isEmpty
                ? []
                : try String.fetchAll(
                    db.cachedStatement(sql: "SELECT term FROM name_sound WHERE code = ? AND term <> ? ORDER BY term"),
                    arguments: [code, word])
            if near.isEmpty && sounds.isEmpty {
                (started, isTerm) = (nil, false)  // never widened
                return
            }
            let names = try String.fetchAll(
                db.cachedStatement(sql: "SELECT term FROM name_vocabulary WHERE term >= ? AND term < ? LIMIT ?"),
                arguments: [word, word + WordMatch.highest, maximumExpansion + 1])
            started = names.count > maximumExpansion ? nil : names
            isTerm =
                try Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM search_term WHERE term = ?)"),
                    arguments: [word]) ?? false
        }

        /// What holding `term` costs this word in the page's order: 0 as typed, a near spelling its edits, a
        /// sound-alike 3 (more than the 2 edits a near spelling may have); nil for a term that is none of these.
        func cost(_ term: String) -> Int? {
            if term == word { return 0 }
            if near.contains(term) {
                let allowed = NearSpelling.allowedEdits(max(word.unicodeScalars.count, term.unicodeScalars.count))
                return NearSpelling.distance(word, term, atMost: allowed)
            }
            return sounds.contains(term) ? 3 : nil
        }

        /// How the word selects accounts in the tiers up to `tier`: as typed, or one of the names it may have meant.
        func match(upTo tier: MatchTier) -> WordMatch {
            let meant = near + (tier >= .soundAlike ? sounds : [])
            guard !meant.isEmpty, let started else { return .prefix(word) }
            var names = Set(meant).union(started)
            if isTerm { names.insert(word) }
            return .anyOf(names.sorted(), startedBy: word)
        }
    }
}
