import Foundation
import GRDB

/// The search index: B-trees over folded keys, derived from `account` and rebuilt from it at will.
///
/// - `search_term(term, sort_key, account_id)`: one row per folded word of an account's names, login and alias
///   (and the run-together form of a multi-word name, so "ndiaye" finds N'Diaye). A prefix is a range scan; the
///   rows of one term come out in French register order, so a whole-word match needs no sort at all.
/// - `name_pair(key, sort_key, account_id)`: "a\u{1}b" for every word a of the last name and b of the first name,
///   and the other way round: two words typed, the first whole and the second a prefix ("gerard zo", "zoe ger"),
///   are one range; two prefixes ("nat ad") are an index-only scan of the first's range.
/// - `account_class(class_key, sort_key, account_id)`: "2NDE 3" as "2nde3", for class filters and class searches.
/// - `name_vocabulary` and its reversed twin: the distinct name words, for near spellings (an edit in the second
///   half of a word leaves its first half as a prefix; an edit in the first half leaves its last half as a suffix).
///
/// Measured on this machine kind: FTS5's `ORDER BY rank` costs 15–25 ms median at a million names; these range scans
/// stop after the rows they need (see Scripts/bench).
enum SearchIndex {
    /// Everything the index derives from an account's names, each name folded once (a million-row import calls
    /// this for every row): the sort key, the search terms and the name words of `name_pair`. The terms are folded
    /// and without duplicates; none contains a space, `"` or `\`, so `search_text` can be split in SQL (see
    /// `rebuild`).
    static func keys(lastName: String, firstName: String, login: String, alias: String?)
        -> (sortKey: String, terms: [String], lastWords: [String], firstWords: [String]) {
        let last = Folding.words(lastName)
        let first = Folding.words(firstName)
        let lastWords = withRunTogether(last)
        let firstWords = withRunTogether(first)
        // A handful of terms: a linear search beats hashing them.
        var out: [String] = []
        out.reserveCapacity(lastWords.count + firstWords.count + 4)
        func add(_ term: String) {
            if !term.isEmpty && !out.contains(term) { out.append(term) }
        }
        lastWords.forEach(add)
        firstWords.forEach(add)
        for handle in [login, alias].compactMap({ $0 }) {
            var folded = Folding.fold(handle)
            if folded.utf8.contains(where: { $0 == 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x09 }) {
                folded = String(folded.unicodeScalars.filter { $0 != " " && $0 != "\"" && $0 != "\\" && $0 != "\t" })
            }
            add(folded)
            // Its words too ("gerard2" of "zoe.gerard2"), but not run together: that form of a login is a name
            // nobody types, and it was a fifth of the index.
            Folding.words(handle).forEach(add)
        }
        return (Folding.sortKey(lastWords: last, firstWords: first), out, lastWords, firstWords)
    }

    /// The folded words of one name, and their run-together form when there are several ("jean", "pierre",
    /// "jeanpierre").
    static func nameWords(_ name: String) -> [String] {
        withRunTogether(Folding.words(name))
    }

    /// The words, and their run-together form when there are several: one rule for names and logins alike.
    private static func withRunTogether(_ words: [String]) -> [String] {
        words.count > 1 ? words + [words.joined()] : words
    }

    /// Generates `name_pair` rows for the accounts selected by `whereClause` (SQL over `a`).
    static func pairRows(where whereClause: String) -> String {
        """
        SELECT l.value || char(1) || f.value AS k, a.sort_key AS s, a.id AS i FROM account a,
            json_each(a.name_words, '$[0]') l, json_each(a.name_words, '$[1]') f WHERE \(whereClause)
        UNION ALL
        SELECT f.value || char(1) || l.value, a.sort_key, a.id FROM account a,
            json_each(a.name_words, '$[0]') l, json_each(a.name_words, '$[1]') f WHERE \(whereClause)
        """
    }

    /// " term term … ": word-prefix tests are `instr(search_text, ' ' || word)`, whole words `' ' || word || ' '`.
    static func searchText(_ terms: [String]) -> String {
        " " + terms.joined(separator: " ") + " "
    }

    /// Rebuilds every derived table from `account`, in SQL: the rows are generated and sorted by SQLite's sorter,
    /// then inserted in key order (append-only B-tree writes; measured far faster than inserting unsorted rows).
    static func rebuild(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM search_term;
            DELETE FROM name_pair;
            DELETE FROM account_class;
            DELETE FROM name_vocabulary;
            DELETE FROM name_vocabulary_reversed;
            INSERT INTO search_term (term, sort_key, account_id)
                SELECT DISTINCT j.value, a.sort_key, a.id
                FROM account a, json_each('["' || replace(trim(a.search_text), ' ', '","') || '"]') j
                ORDER BY 1, 2, 3;
            INSERT OR IGNORE INTO name_pair (key, sort_key, account_id)
                SELECT k, s, i FROM (\(pairRows(where: "1"))) ORDER BY 1, 2, 3;
            INSERT INTO account_class (class_key, sort_key, account_id)
                SELECT DISTINCT guichet_key(j.value), a.sort_key, a.id
                FROM account a, json_each(a.classes) j
                WHERE guichet_key(j.value) <> ''
                ORDER BY 1, 2, 3;
            """)
        try rebuildVocabulary(db)
    }

    /// Name words of 2 letters or more: near spellings look up names one letter away from a word of 5+ letters, and
    /// two typed prefixes are expanded into the names they start ("nat" → nathan, nathalie, nathanaël).
    /// Logins and their words are left out: they are matched exactly or by prefix, never by near spelling.
    private static func rebuildVocabulary(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO name_vocabulary (term)
                SELECT DISTINCT j.value FROM account a, json_each(a.name_words) k, json_each(k.value) j
                WHERE length(j.value) >= 2;
            INSERT INTO name_vocabulary_reversed (term)
                SELECT guichet_reverse(term) FROM name_vocabulary ORDER BY 1;
            """)
    }

    /// Removes the index rows of one account, as they were for `searchText`, `sortKey` and `classes` (JSON).
    static func remove(_ db: Database, id: Int64, searchText: String, sortKey: String, classesJSON: String,
                       nameWordsJSON: String) throws {
        // The account row already holds its new values: the old pairs come from the old name words.
        let halves = (try? JSONDecoder().decode([[String]].self, from: Data(nameWordsJSON.utf8))) ?? []
        if halves.count == 2 {
            let delete = try db.cachedStatement(sql: "DELETE FROM name_pair WHERE key = ? AND sort_key = ? AND account_id = ?")
            for last in halves[0] {
                for first in halves[1] {
                    try delete.execute(arguments: [last + "\u{1}" + first, sortKey, id])
                    try delete.execute(arguments: [first + "\u{1}" + last, sortKey, id])
                }
            }
        }
        let arguments: StatementArguments = [sortKey, id, searchText, classesJSON]
        // One statement per call: GRDB binds a call's arguments to each of its statements in turn.
        try db.execute(sql: """
            DELETE FROM search_term WHERE sort_key = ?1 AND account_id = ?2
                AND term IN (SELECT value FROM json_each('["' || replace(trim(?3), ' ', '","') || '"]') WHERE ?4 IS NOT NULL)
            """, arguments: arguments)
        try db.execute(sql: """
            DELETE FROM account_class WHERE sort_key = ?1 AND account_id = ?2 AND ?3 IS NOT NULL
                AND class_key IN (SELECT guichet_key(value) FROM json_each(?4))
            """, arguments: arguments)
    }

    /// Adds the index rows of one account as it is now in `account`.
    static func add(_ db: Database, id: Int64) throws {
        let terms = "json_each('[\"' || replace(trim(a.search_text), ' ', '\",\"') || '\"]') j"
        let names = "json_each(a.name_words) k, json_each(k.value) j"
        for sql in [
            "INSERT OR IGNORE INTO search_term (term, sort_key, account_id) SELECT j.value, a.sort_key, a.id FROM account a, \(terms) WHERE a.id = ?",
            "INSERT OR IGNORE INTO name_pair (key, sort_key, account_id) SELECT k, s, i FROM (\(pairRows(where: "a.id = ?1")))",
            "INSERT OR IGNORE INTO account_class (class_key, sort_key, account_id) SELECT guichet_key(j.value), a.sort_key, a.id FROM account a, json_each(a.classes) j WHERE a.id = ? AND guichet_key(j.value) <> ''",
            "INSERT OR IGNORE INTO name_vocabulary (term) SELECT j.value FROM account a, \(names) WHERE a.id = ? AND length(j.value) >= 2",
            "INSERT OR IGNORE INTO name_vocabulary_reversed (term) SELECT guichet_reverse(j.value) FROM account a, \(names) WHERE a.id = ? AND length(j.value) >= 2",
        ] {
            try db.execute(sql: sql, arguments: [id])
        }
    }

    /// SQL functions the index needs, registered on every connection.
    static func registerFunctions(_ db: Database) {
        db.add(function: DatabaseFunction("guichet_key", argumentCount: 1, pure: true) { values in
            String.fromDatabaseValue(values[0]).map(Folding.key)
        })
        db.add(function: DatabaseFunction("guichet_reverse", argumentCount: 1, pure: true) { values in
            String.fromDatabaseValue(values[0]).map { String($0.reversed()) }
        })
    }
}
