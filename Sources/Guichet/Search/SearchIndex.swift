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
    /// and without duplicates; each is letters and digits only, so `search_text` splits on its spaces.
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
        // A login's and an alias's words ("gerard2" of "zoe.gerard2"), neither whole nor run together: a query's
        // words never hold a dot, and a handle typed whole is matched on `account` itself (Search.exactHandles).
        // The whole logins were a quarter of this index, its run-together forms a fifth.
        for handle in [login, alias].compactMap({ $0 }) {
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

    /// " term term … ": word-prefix tests are `instr(search_text, ' ' || word)`, whole words `' ' || word || ' '`.
    static func searchText(_ terms: [String]) -> String {
        " " + terms.joined(separator: " ") + " "
    }

    /// Rebuilds every derived table from `account` (a migration that changes what the index holds), with the
    /// rows the importer writes (`SearchIndex+Bulk`): one definition of the index.
    static func rebuild(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM search_term;
            DELETE FROM name_pair;
            DELETE FROM account_class;
            DELETE FROM name_vocabulary;
            """)
        if try db.tableExists("name_sound") { try db.execute(sql: "DELETE FROM name_sound; DELETE FROM name_deletion") }
        var accounts: [StoredAccount] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT id, sort_key, search_text, name_words, classes FROM account")
        while let row = try rows.next() {
            var account = StoredAccount()
            (account.id, account.sortKey, account.searchText) = (row["id"], row["sort_key"], row["search_text"])
            (account.nameWords, account.classes) = (row["name_words"], row["classes"])
            accounts.append(account)
        }
        try apply(db, removing: [], adding: batches(accounts))
    }

    /// SQL functions the index needs, registered on every connection.
    static func registerFunctions(_ db: Database) {
        db.add(function: DatabaseFunction("guichet_key", argumentCount: 1, pure: true) { values in
            String.fromDatabaseValue(values[0]).map(Folding.key)
        })
        // Only migration v5 still calls it (it filled name_vocabulary_reversed, which v10 drops).
        db.add(function: DatabaseFunction("guichet_reverse", argumentCount: 1, pure: true) { values in
            String.fromDatabaseValue(values[0]).map { String($0.reversed()) }
        })
    }
}
