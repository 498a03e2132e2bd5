import Foundation
import GRDB

// The search index's stored format. Every table is derived from `account` and can be rebuilt from it (`rebuild`);
// all keys are folded (`Folding`: lower case, accents removed, letters and digits only), and `sort_key` is
// `Folding.sortKey` ("lastwords\u{1}firstwords"), so that every range comes out in French register order.
//
//   search_term(term, sort_key, account_id)      PRIMARY KEY (term, sort_key, account_id), WITHOUT ROWID
//   name_pair(key, sort_key, account_id)         key = "a\u{1}b", PRIMARY KEY (key, sort_key, account_id)
//   account_class(class_key, sort_key, account_id)
//   name_vocabulary(term)                        PRIMARY KEY
//   name_sound(code, term)                       PRIMARY KEY (code, term)
//   name_deletion(key, term)                     PRIMARY KEY (key, term)
//
// The index is valid if and only if:
// 1. search_term holds (t, a.sort_key, a.id) exactly for each t of the words of a.search_text (" t1 t2 … "), for every
//    account a: its names' folded words, each name's words run together when it has several, and its login's and
//    alias's words;
// 2. name_pair holds ("l\u{1}f", …) and ("f\u{1}l", …) for every last-name word l and first-name word f of
//    a.name_words (run-together forms included), and nothing else;
// 3. account_class holds (Folding.key(c), …) for every class c of a.classes;
// 4. name_vocabulary holds every word of 2 letters or more of every account's name_words, ever (it never forgets a
//    word: a word nobody holds any more finds nothing, and costs nothing), and nothing that is not a folded word;
// 5. name_sound holds (Phonex.code(t), t) for every t of name_vocabulary whose code is not empty, and nothing else;
// 6. name_deletion holds (k, t) for every t of name_vocabulary of NearSpelling.deletionMinimumLength letters or more
//    and every k of NearSpelling.deletionKeys(of: t), and nothing else.
// The rows of one account in 1–3 carry its current sort_key: an account whose names change has its rows replaced.

/// The search index: B-trees over folded keys, derived from `account` and rebuilt from it at will.
///
/// - `search_term`: a prefix is a range scan; the rows of one term come out in French register order, so a
///   whole-word match needs no sort at all.
/// - `name_pair`: two words typed, the first whole and the second a prefix ("gerard zo", "zoe ger"), are one range;
///   two prefixes ("nat ad") are an index-only scan of the first's range.
/// - `account_class`: "2NDE 3" as "2nde3", for class filters and class searches.
/// - `name_vocabulary`, `name_sound`, `name_deletion`: the distinct name words, for prefixes expanded into names, near
///   spellings (`NearSpelling`) and sound-alikes (`Phonex`).
///
/// Measured on this machine kind: FTS5's `ORDER BY rank` costs 15–25 ms median at a million names; these range scans
/// stop after the rows they need (see Scripts/bench).
enum SearchIndex {
    /// U+0001, between the parts of a folded composite key: stored in `sort_key` ("lastwords\u{1}firstwords") and
    /// `name_pair.key` ("a\u{1}b"; the bulk writer appends it as the byte 0x01, the SQL as `char(1)`). It sorts
    /// before every letter and digit and is never in a folded word, so "Le" < "Lebrun" and a pair's range holds one
    /// name's pairs only. The sheets' in-memory keys (batch slots, class order) use it for the same two reasons.
    static let keySeparator = "\u{1}"
    /// `keySeparator` as the one byte it is in UTF-8.
    static let keySeparatorByte: UInt8 = 1

    /// Everything the index derives from an account's names, each name folded once (a million-row import calls
    /// this for every row): the sort key, the search terms and the name words of `name_pair`. The terms are folded
    /// and without duplicates; each is letters and digits only, so `search_text` splits on its spaces.
    static func keys(lastName: String, firstName: String, login: String, alias: String?)
        -> (sortKey: String, terms: [String], lastWords: [String], firstWords: [String])
    {
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
        try db.execute(
            sql: """
                DELETE FROM search_term;
                DELETE FROM name_pair;
                DELETE FROM account_class;
                DELETE FROM name_vocabulary;
                """)
        if try hasToleranceTables(db) { try db.execute(sql: "DELETE FROM name_sound; DELETE FROM name_deletion") }
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
        db.add(
            function: DatabaseFunction("guichet_key", argumentCount: 1, pure: true) { values in
                String.fromDatabaseValue(values[0]).map(Folding.key)
            })
    }
}
