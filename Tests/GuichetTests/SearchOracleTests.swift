import Foundation
import GRDB
import Testing
@testable import Guichet

/// The fast search against a reference: a full scan of every account applying README's rules word by word, written
/// without the index (its own terms, its own edit distance, its own vocabulary). Both must return the same ranked
/// page for thousands of random accounts and desk-like queries (typos, swaps, sound-alike respellings, prefixes,
/// words in any order, "NOM Prénom"), so that no index shortcut silently drops or misranks a match.
@Suite struct SearchOracleTests {
    @Test func theIndexedSearchReturnsTheReferencePage() throws {
        var rng = SeededGenerator(state: 20261202)
        let t = try TemporaryDatabase()
        var export = ENTExport()
        var logins = Set<String>()
        for n in 0..<2500 {
            let last = Self.lastNames.randomElement(using: &rng)!
            var first = Self.firstNames.randomElement(using: &rng)!
            if Int.random(in: 0..<8, using: &rng) == 0 { first += "-" + Self.firstNames.randomElement(using: &rng)! }
            var login = Folding.words(first).joined(separator: "-") + "." + Folding.key(last)
            var k = 1
            while logins.contains(login) {
                login = Folding.words(first).joined(separator: "-") + "." + Folding.key(last) + String(k); k += 1
            }
            logins.insert(login)
            export.add(id: "o\(n)", type: n % 3 == 0 ? "Relative" : "Student", last: last, first: first, login: login)
        }
        try t.importCSV(export.text)
        let oracle = try t.database.writer.read { db in try Oracle(db) }
        var failures: [String] = []
        var widened = 0
        for _ in 0..<3000 {
            let person = oracle.accounts.randomElement(using: &rng)!
            let query = Self.deskQuery(for: person, &rng)
            let expected = oracle.page(query, limit: 10)
            let got = try t.search(query, limit: 10)
            if got.widenedFrom != nil { widened += 1 }
            if got.results.map(\.login) != expected {
                failures.append("\(query): got \(got.results.map(\.login)), expected \(expected)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of 3000 differ; first: \(failures.prefix(5).joined(separator: "\n"))")
        // The queries do exercise the widened tiers.
        #expect(widened > 300)
    }

    // MARK: - Queries as the desk types them

    static func deskQuery(for person: Oracle.Account, _ rng: inout SeededGenerator) -> String {
        var last = Folding.words(person.lastName)
        var first = Folding.words(person.firstName)
        func spoil(_ words: inout [String]) {
            guard let k = words.indices.max(by: { words[$0].count < words[$1].count }) else { return }
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: words[k] = typo(words[k], &rng)
            case 1: words[k] = typo(typo(words[k], &rng), &rng)
            case 2: words[k] = respell(words[k], &rng)
            default: words[k] = String(words[k].prefix(max(3, words[k].count - Int.random(in: 1...4, using: &rng))))
            }
        }
        switch Int.random(in: 0..<7, using: &rng) {
        case 0: return person.lastName.uppercased() + " " + person.firstName  // NOM Prénom
        case 1: spoil(&last)
        case 2: spoil(&first)
        case 3: spoil(&last); spoil(&first)
        case 4:
            if Int.random(in: 0..<3, using: &rng) == 0, let dot = person.login.firstIndex(of: ".") {  // a login's start
                let rest = person.login[person.login.index(after: dot)...]
                return String(person.login[...dot]) + rest.prefix(Int.random(in: 1...4, using: &rng))
            }
            return (Int.random(in: 0..<2, using: &rng) == 0 ? last : first).joined(separator: " ")
        case 5: spoil(&last); return last.joined(separator: " ")
        default: return person.login
        }
        var words = Int.random(in: 0..<2, using: &rng) == 0 ? first + last : last + first
        if Int.random(in: 0..<5, using: &rng) == 0 { words = words.shuffled(using: &rng) }
        // A word that another begins ("bao ngoc ngo" for NGO Bao Ngoc, "nafissatou n diaye"): the search leaves it
        // out and asks only whether it is a term whole.
        if Int.random(in: 0..<6, using: &rng) == 0, let w = words.randomElement(using: &rng), w.count >= 2 {
            words.insert(
                String(w.prefix(Int.random(in: 1...w.count, using: &rng))), at: Int.random(in: 0...words.count, using: &rng))
        }
        return words.joined(separator: " ")
    }

    /// One random edit: a wrong, missing or extra letter, or two neighbours swapped.
    static func typo(_ word: String, _ rng: inout SeededGenerator) -> String {
        var letters = Array(word)
        guard letters.count >= 2 else { return word }
        let i = Int.random(in: 0..<(letters.count - 1), using: &rng)
        let other = "abcdefghijklmnopqrstuvwxyz".randomElement(using: &rng)!
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: letters[i] = other
        case 1: letters.remove(at: i)
        case 2: letters.insert(other, at: i)
        default: letters.swapAt(i, i + 1)
        }
        return String(letters)
    }

    /// A French respelling that sounds the same, when the word has one.
    static func respell(_ word: String, _ rng: inout SeededGenerator) -> String {
        let swaps = [
            ("eau", "o"), ("au", "o"), ("ph", "f"), ("y", "i"), ("ai", "e"), ("qu", "k"), ("c", "k"),
            ("ss", "s"), ("ou", "oo"), ("en", "an"), ("t", "th"), ("ei", "ai"), ("ill", "y")
        ]
        let possible = swaps.filter { word.contains($0.0) }
        guard let (from, to) = possible.randomElement(using: &rng) else { return word }
        return word.replacingOccurrences(of: from, with: to)
    }

    static let lastNames = [
        "Martin", "Martain", "Bernard", "Bernhard", "Dupont", "Dupond", "Durand", "Durant", "Lefebvre", "Lefèvre",
        "Gauthier", "Gautier", "Rousseau", "Rousseaux", "Roussel", "Nguyen", "Nguyễn", "Conceição", "Robert",
        "Raubert", "Faure", "Fort", "Perez", "Pérès", "Le Goff", "Legoff", "N'Diaye", "Ndiaye", "de La Fontaine",
        "Delafontaine", "Saint-Martin", "de Saint-Exupéry", "Mathieu", "Matthieu", "Philippe", "Filipe", "Chevalier",
        "Schneider", "Müller", "Meunier", "Monnier", "Girard", "Gérard", "Gérardin", "Moulin", "Boyer", "Bouyer",
        "Henry", "Henri", "Barthélémy", "Bartholomé", "Cœur", "Lefèvre-Cœur", "Desainteyupery", "Kowalczyk",
        "Benhamou", "Ben Hamou", "El Amrani", "Elamrani", "Da Silva", "Dasilva", "Carpentier", "Charpentier",
        "Lambert", "Lambertin", "Fontaine", "Fontenay", "Thibault", "Thibaut", "Tibo", "Pelletier", "Peltier"
    ]
    static let firstNames = [
        "Zoé", "Zoe", "Nathanaël", "Nathan", "Nathalie", "Matthéo", "Mathéo", "Mateo", "Louise", "Louis", "Agathe",
        "Gaëlle", "Gaelle", "Gaël", "Jean", "Pierre", "Jean-Baptiste", "Baptiste", "Marie", "Mary", "Laure",
        "Laurent", "Laurence", "Timothée", "Timothé", "François", "Françoise", "Yannick", "Yanick", "Karima",
        "Karim", "Camille", "Kamel", "Théo", "Téo", "Chloé", "Khloé", "Inès", "Ines", "Hugo", "Ugo", "Raphaël",
        "Rafael", "Sophie", "Sofia", "Ewen", "Erwan", "Anne", "Anaïs", "Léa", "Lea", "Thị Lan", "Aïssatou"
    ]
}

/// The reference search: every account scanned, every rule applied literally.
struct Oracle {
    struct Account {
        let login: String
        let alias: String?
        let firstName: String
        let lastName: String
        let sortKey: String
        /// Name words with their run-together forms, then login and alias words.
        let nameTerms: [String]
        let terms: [String]
    }

    let accounts: [Account]
    let vocabulary: [String]
    /// The vocabulary by Phonex code, computed once (the codes are the published algorithm's, tested apart).
    let bySound: [String: [String]]

    init(_ db: Database) throws {
        accounts = try Row.fetchAll(db, sql: "SELECT login, alias, first_name, last_name, sort_key FROM account").map { row in
            let last = Folding.words(row["last_name"]), first = Folding.words(row["first_name"])
            let names = last + first + (last.count > 1 ? [last.joined()] : []) + (first.count > 1 ? [first.joined()] : [])
            let handles = Folding.words(row["login"]) + Folding.words((row["alias"] as String?) ?? "")
            return Account(
                login: row["login"], alias: row["alias"], firstName: row["first_name"], lastName: row["last_name"],
                sortKey: row["sort_key"], nameTerms: names, terms: names + handles)
        }
        vocabulary = Array(Set(accounts.flatMap(\.nameTerms).filter { $0.count >= 2 })).sorted()
        bySound = Dictionary(grouping: vocabulary, by: Phonex.code)
    }

    func page(_ text: String, limit: Int) -> [String] {
        let words = Folding.words(text)
        guard !words.isEmpty else { return [] }
        var tier: [Int: MatchTier] = [:]  // by position in `accounts`
        let handle = Folding.fold(text).trimmingCharacters(in: .whitespaces)
        for (k, a) in accounts.enumerated()
        where !handle.contains(" ") && (a.login == handle || a.alias.map(Folding.fold) == handle) {
            tier[k] = .exact
        }
        for (k, a) in accounts.enumerated() where tier[k] == nil {
            guard words.allSatisfy({ w in a.terms.contains { $0.hasPrefix(w) } }) else { continue }
            if !words.allSatisfy({ a.terms.contains($0) }) {
                tier[k] = .prefixes
            } else {
                tier[k] = words.count > 1 && spellsFullName(words, a) ? .exact : .wholeWords
            }
        }
        let typedRight = tier.values.contains { $0 <= .wholeWords }
        for widened in [MatchTier.nearSpelling, .soundAlike] where tier.count < limit && !typedRight {
            let meant = words.map { meantNames($0, upTo: widened) }
            for (k, a) in accounts.enumerated() where tier[k] == nil {
                let all = words.indices.allSatisfy { i in
                    guard let names = meant[i] else { return a.terms.contains { $0.hasPrefix(words[i]) } }
                    return a.terms.contains { names.contains($0) }
                }
                if all { tier[k] = widened }
            }
        }
        return ranked(tier, limit, words: words, text: text)
    }

    /// Tier; in the widened tiers, fewer edits; with a login typed from its start, the logins it starts; with two
    /// words or more, more of the last and first names begun, each by a different word, then more of the two being a
    /// different word whole; register key; login.
    private func ranked(_ tier: [Int: MatchTier], _ limit: Int, words: [String] = [], text: String = "") -> [String] {
        let typed = Folding.fold(text).trimmingCharacters(in: .whitespaces)
        let loginTyped = typed.contains(".") && !typed.contains(where: \.isWhitespace)
        let sounds = words.map { w in
            let code = w.count >= 4 ? Phonex.code(w) : ""
            return code.isEmpty ? [] : Set(bySound[code] ?? []).subtracting([w])
        }
        func rank(_ k: Int, _ t: MatchTier) -> (Int, Int, Int, Int, Int) {
            let a = accounts[k]
            let edits =
                t >= .nearSpelling
                ? words.indices.map { i in a.terms.compactMap { cost(words[i], $0, sounds[i]) }.min() ?? 0 }.reduce(0, +) : 0
            let halves = a.sortKey.split(separator: "\u{1}", omittingEmptySubsequences: false)
            // The most names (last, first) that different words reach: every way of giving each name a word, or none.
            func reached(_ reaches: (String, Substring) -> Bool) -> Int {
                guard words.count >= 2 else { return 0 }
                let choices = [nil] + Set(words).map { Optional($0) }
                var best = 0
                for forLast in choices {
                    for forFirst in choices where forFirst == nil || forFirst != forLast {
                        let n = [(forLast, halves[0]), (forFirst, halves[1])].filter { w, h in w.map { reaches($0, h) } ?? false }
                            .count
                        best = max(best, n)
                    }
                }
                return best
            }
            let begun = reached { w, h in h.hasPrefix(w) }
            let whole = reached { w, h in h == w }
            return (t.rawValue, edits, loginTyped && a.login.hasPrefix(typed) ? 0 : 1, -begun, -whole)
        }
        return tier.map { ($0.key, rank($0.key, $0.value)) }.sorted { a, b in
            // Tuples compare up to six fields: the rank's last two go with the register key and the login.
            let (x, y) = ((a.1.0, a.1.1, a.1.2), (b.1.0, b.1.1, b.1.2))
            return x < y
                || (x == y
                    && (a.1.3, a.1.4, accounts[a.0].sortKey, accounts[a.0].login)
                        < (b.1.3, b.1.4, accounts[b.0].sortKey, accounts[b.0].login))
        }.prefix(limit).map { accounts[$0.0].login }
    }

    /// What holding term `t` costs query word `w` in a widened tier: 0 as typed, a near spelling its edits, a
    /// sound-alike 3; nil otherwise (a word held as none of these matched as a prefix, and counts 0).
    private func cost(_ w: String, _ t: String, _ sounds: Set<String>) -> Int? {
        if t == w { return 0 }
        if let d = nearDistance(w, t) { return d }
        return sounds.contains(t) ? 3 : nil
    }

    /// The edits between a typed word and a name of the vocabulary, when within the allowed: 1 edit when the longer
    /// has 5 letters or more, 2 from 9; words under 4 letters never.
    private func nearDistance(_ w: String, _ t: String) -> Int? {
        let longer = max(w.count, t.count)
        let allowed = w.count < 4 ? 0 : longer >= 9 ? 2 : longer >= 5 ? 1 : 0
        guard t != w, allowed > 0, abs(w.count - t.count) <= allowed, vocabulary.contains(t) else { return nil }
        let d = osa(w, t)
        return d <= allowed ? d : nil
    }

    /// The names a word may have meant in a widened tier, or nil when it is matched as typed (nothing to widen it
    /// to, or it starts more than 1,000 names).
    private func meantNames(_ w: String, upTo widened: MatchTier) -> Set<String>? {
        // The longer of the word and the name: 1 edit from 5 letters, 2 from 9; words under 4 letters never.
        var meant = Set(
            vocabulary.filter { t in
                let longer = max(w.count, t.count)
                let allowed = w.count < 4 ? 0 : longer >= 9 ? 2 : longer >= 5 ? 1 : 0
                return t != w && allowed > 0 && abs(w.count - t.count) <= allowed && osa(w, t) <= allowed
            })
        if widened == .soundAlike && w.count >= 4 {
            let code = Phonex.code(w)
            if !code.isEmpty { meant.formUnion((bySound[code] ?? []).filter { $0 != w }) }
        }
        let started = vocabulary.filter { $0.hasPrefix(w) }
        guard !meant.isEmpty, started.count <= 1000 else { return nil }
        meant.formUnion(started)
        if accounts.contains(where: { $0.terms.contains(w) }) { meant.insert(w) }
        return meant
    }

    /// Whether the words, each used, spell the last name's words run together and the first name's.
    private func spellsFullName(_ words: [String], _ a: Account) -> Bool {
        let last = Folding.key(a.lastName), first = Folding.key(a.firstName)
        func subsets(spelling text: Substring, used: Set<Int>) -> [Set<Int>] {
            if text.isEmpty { return [used] }
            return words.indices.filter { !used.contains($0) && text.hasPrefix(words[$0]) }
                .flatMap { subsets(spelling: text.dropFirst(words[$0].count), used: used.union([$0])) }
        }
        let lasts = subsets(spelling: last[...], used: []), firsts = subsets(spelling: first[...], used: [])
        return lasts.contains { l in firsts.contains { f in l.union(f).count == words.count } }
    }

    /// Optimal string alignment distance, the full matrix.
    private func osa(_ a: String, _ b: String) -> Int {
        let s = Array(a), t = Array(b)
        if s.isEmpty || t.isEmpty { return max(s.count, t.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: t.count + 1), count: s.count + 1)
        for i in 0...s.count { d[i][0] = i }
        for j in 0...t.count { d[0][j] = j }
        for i in 1...s.count {
            for j in 1...t.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (s[i - 1] == t[j - 1] ? 0 : 1))
                if i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[s.count][t.count]
    }
}
