import Foundation
import GRDB
import Guichet

/// Times the ranked search in process, per kind of query, beside FTS5's `MATCH … ORDER BY rank LIMIT 20` over the
/// same names (the naive approach, measured at 15–25 ms median at this size on this machine kind).
struct SearchBenchmark {
    let databasePath: String
    let ftsPath: String
    let queriesPerCategory: Int
    let runs: Int
    /// Where to append one line per kind and run (`search KIND RUN ours_p50 ours_p99 fts_p50 fts_p99`, ms, tab-separated).
    var tsvPath: String? = nil
    /// When above 0, prints after each kind its this many slowest queries and those that found nobody. A query's time
    /// is its best run: the machine's noise then hides no query that is slow every time.
    var slowest = 0
    /// When set, only the kinds whose name contains it are timed (to profile one kind).
    var only: String? = nil
    /// When set, this query alone is timed, as its own kind (`runs` times), without FTS5's.
    var query: String? = nil

    func run() throws {
        let database = try GuichetDatabase(path: databasePath)
        var ftsConfiguration = Configuration()
        ftsConfiguration.readonly = true
        let fts = try DatabaseQueue(path: ftsPath, configuration: ftsConfiguration)
        let (count, allCategories) = try database.writer.read { db in
            try (Int.fetchOne(db, sql: "SELECT count(*) FROM account") ?? 0, queries(db))
        }
        let categories = query.map { [("\"\($0)\"", [$0])] } ?? allCategories.filter { only.map($0.0.contains) ?? true }
        print("accounts: \(count); \(queriesPerCategory) queries per kind, \(runs) runs each; times in ms")
        print(
            pad("query kind", 26) + pad("ours p50", 10) + pad("ours p99", 10) + pad("ours max", 10)
                + pad("FTS5 p50", 10) + pad("FTS5 p99", 10) + pad("p99 ratio", 10) + "hits")
        // Warm-up, not counted: the first queries fault the mapped file's pages in.
        for (_, queries) in categories {
            for q in queries.prefix(50) { _ = try time(q, database, fts) }
        }
        var tsv = ""
        var allOurs = [[Double]](repeating: [], count: runs)
        var allFTS = [[Double]](repeating: [], count: runs)
        for (name, queries) in categories {
            var ours: [Double] = []
            var theirs: [Double] = []
            var hits = 0
            var best = [Double](repeating: .infinity, count: queries.count)
            var missed: Set<String> = []
            for r in 0..<runs {
                var runOurs: [Double] = [], runFTS: [Double] = []
                for (k, q) in queries.enumerated() {
                    let (o, t, hit) = try time(q, database, fts)
                    runOurs.append(o)
                    runFTS.append(t)
                    best[k] = min(best[k], o)
                    if hit { hits += 1 } else { missed.insert(q) }
                }
                tsv += tsvLine(name, r, runOurs, runFTS)
                ours += runOurs
                theirs += runFTS
                allOurs[r] += runOurs
                allFTS[r] += runFTS
            }
            print(row(name, ours, theirs) + "\(hits * 100 / max(ours.count, 1))%")
            if slowest > 0 {
                for k in best.indices.sorted(by: { best[$0] > best[$1] }).prefix(slowest) {
                    print("    " + pad(f(best[k]), 10) + queries[k])
                }
                if !missed.isEmpty { print("    no result: " + missed.sorted().joined(separator: " | ")) }
            }
        }
        for r in 0..<runs { tsv += tsvLine("all", r, allOurs[r], allFTS[r]) }
        print(row("all", allOurs.flatMap { $0 }, allFTS.flatMap { $0 }))
        if let tsvPath { try tsv.write(toFile: tsvPath, atomically: true, encoding: .utf8) }
    }

    /// One query, ours then FTS5's: (our ms, FTS5 ms, whether ours found something).
    private func time(_ q: String, _ database: GuichetDatabase, _ fts: DatabaseQueue) throws -> (Double, Double, Bool) {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try database.writer.read { db in try Search.labelled(SearchQuery(text: q), in: db) }
        let ours = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        // One query alone is timed to be profiled: FTS5's time would hide ours.
        if query != nil { return (ours, 0, !result.results.isEmpty) }
        let ftsQuery = Folding.words(q).map { "\"\($0)\"*" }.joined(separator: " ")
        let ftsStart = DispatchTime.now().uptimeNanoseconds
        _ = try fts.read { db in
            try Int64.fetchAll(
                db.cachedStatement(sql: "SELECT rowid FROM names WHERE names MATCH ? ORDER BY rank LIMIT 20"),
                arguments: [ftsQuery])
        }
        return (ours, Double(DispatchTime.now().uptimeNanoseconds - ftsStart) / 1e6, !result.results.isEmpty)
    }

    private func tsvLine(_ name: String, _ run: Int, _ ours: [Double], _ theirs: [Double]) -> String {
        let o = ours.sorted(), t = theirs.sorted()
        return [
            "search", name, String(run), f(percentile(o, 0.5)), f(percentile(o, 0.99)),
            f(percentile(t, 0.5)), f(percentile(t, 0.99))
        ].joined(separator: "\t") + "\n"
    }

    private func row(_ name: String, _ ours: [Double], _ theirs: [Double]) -> String {
        let o = ours.sorted(), t = theirs.sorted()
        return pad(name, 26) + pad(f(percentile(o, 0.5)), 10) + pad(f(percentile(o, 0.99)), 10) + pad(f(o.last ?? 0), 10)
            + pad(f(percentile(t, 0.5)), 10) + pad(f(percentile(t, 0.99)), 10)
            + pad(String(format: "%.1fx", percentile(t, 0.99) / max(percentile(o, 0.99), 0.0001)), 10)
    }

    /// Realistic desk queries built from accounts spread over the whole table (also JournalBenchmark's).
    func queries(_ db: Database) throws -> [(String, [String])] {
        let count = try Int.fetchOne(db, sql: "SELECT max(id) FROM account") ?? 0
        let ids = (0..<(queriesPerCategory * 4)).map { Int64(1 + ($0 * 7919 + 13) % max(count, 1)) }
        var people: [(first: [String], last: [String], login: String, classes: [String])] = []
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let slice = Array(ids[chunk..<min(chunk + 500, ids.count)])
            let rows = try Row.fetchAll(
                db,
                sql:
                    "SELECT first_name, last_name, login, classes FROM account WHERE id IN (\(slice.map(String.init).joined(separator: ",")))"
            )
            people += rows.map {
                (
                    Folding.words($0["first_name"]), Folding.words($0["last_name"]), $0["login"],
                    (try? JSONDecoder().decode([String].self, from: Data(($0["classes"] as String).utf8))) ?? []
                )
            }
        }
        let n = queriesPerCategory
        let lastWord: ((first: [String], last: [String], login: String, classes: [String])) -> String = { p in
            p.last.max { $0.count < $1.count } ?? ""
        }
        let threeWords = people.filter { $0.first.count + $0.last.count >= 3 }
        let longNames = people.filter { lastWord($0).count >= 5 }
        let inAClass = people.filter { !$0.classes.isEmpty }
        return [
            ("1 word (last name)", people.prefix(n).map(lastWord)),
            ("1 prefix (3 letters)", people.prefix(n).map { String(lastWord($0).prefix(3)) }),
            ("2 words (first last)", people.prefix(n).map { "\($0.first[0]) \(lastWord($0))" }),
            ("2 prefixes (3+3)", people.prefix(n).map { "\($0.first[0].prefix(3)) \(lastWord($0).prefix(3))" }),
            ("3 words", threeWords.prefix(n).map { ($0.first + $0.last).joined(separator: " ") }),
            ("login", people.prefix(n).map(\.login)),
            ("near spelling (1 letter)", longNames.prefix(n).map { misspell(lastWord($0)) }),
            // Classes as typed at the desk: "2nde 3", alone or after a name.
            ("class", inAClass.prefix(n).map { $0.classes[0].lowercased() }),
            ("last name + class", inAClass.prefix(n).map { "\(lastWord($0)) \($0.classes[0].lowercased())" })
        ]
    }

    /// The word with its middle letter replaced: a typo at the desk.
    private func misspell(_ word: String) -> String {
        var letters = Array(word)
        let i = letters.count / 2
        letters[i] = letters[i] == "e" ? "a" : "e"
        return String(letters)
    }

    private func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
    private func f(_ v: Double) -> String { String(format: "%.3f", v) }
    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}
