import Foundation
import GRDB
import Guichet

/// Why a journalled search over HTTP is slower than the search alone: on one thread, in process, the same desk
/// queries (a mix of every kind) timed four ways over the same database —
///   alone        `Search.run` in a read, nothing written in between;
///   journalled   what `Search.journalled` does: the search in a read, then its journal row in its own write
///                transaction (synchronous = FULL), so every search starts after a commit;
///   no-mmap      the same, the reading connection with `PRAGMA mmap_size = 0`;
///   group-16     16 searches, then their 16 journal rows in one transaction (what a group commit would do).
/// Each commit makes every reading connection drop its page cache and, with mmap, its whole mapping (SQLite's
/// pager resets when it sees the WAL changed): this separates that cost from the search's and the fsync's.
struct JournalBenchmark {
    let databasePath: String
    let queries: [String]
    let runs: Int
    var tsvPath: String? = nil

    func run() throws {
        let database = try GuichetDatabase(path: databasePath)
        // no-mmap reads through its own pool, whose connections keep mmap off (turning it back on would remap).
        let unmapped = try GuichetDatabase(path: databasePath)
        for q in queries.prefix(50) { _ = try read(q, database, mmap: true); _ = try read(q, unmapped, mmap: false) }  // warm-up
        print("\(queries.count) desk queries (every kind), \(runs) runs, modes interleaved, one thread; ms per query")
        print("mode         search p50  commit p50  mean total  queries/s")
        var tsv = ""
        for r in 0..<runs {
            for mode in ["alone", "journalled", "group-16", "no-mmap"] {
                let db = mode == "no-mmap" ? unmapped : database
                var reads: [Double] = [], writes: [Double] = []
                let start = DispatchTime.now().uptimeNanoseconds
                var pending: [(String, Int)] = []
                for q in queries {
                    let (ms, count) = try read(q, db, mmap: mode != "no-mmap")
                    reads.append(ms)
                    switch mode {
                    case "alone": break
                    case "group-16":
                        pending.append((q, count))
                        if pending.count == 16 { writes.append(try commit(pending, db)); pending = [] }
                    default: writes.append(try commit([(q, count)], db))
                    }
                }
                if !pending.isEmpty { writes.append(try commit(pending, db)) }
                let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(queries.count)
                let line = [mode, String(r), f(median(reads)), f(writes.isEmpty ? 0 : median(writes)), f(total)]
                tsv += (["journal"] + line).joined(separator: "\t") + "\n"
                print(
                    line[0].padding(toLength: 13, withPad: " ", startingAt: 0)
                        + line[2...].map { $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined()
                        + String(format: "%.0f", 1000 / total))
            }
        }
        if let tsvPath { try tsv.write(toFile: tsvPath, atomically: true, encoding: .utf8) }
    }

    private func read(_ q: String, _ database: GuichetDatabase, mmap: Bool) throws -> (Double, Int) {
        let start = DispatchTime.now().uptimeNanoseconds
        let total = try database.writer.read { db in
            if !mmap { try db.execute(sql: "PRAGMA mmap_size = 0") }
            return try Search.run(SearchQuery(text: q), in: db).total
        }
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6, total)
    }

    /// The journal rows `Search.journalled` writes, in one write transaction.
    private func commit(_ searches: [(String, Int)], _ database: GuichetDatabase) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try database.writer.write { db in
            for (q, count) in searches {
                _ = try Journal.append(
                    db,
                    JournalEntry(
                        staff: "bench", channel: .kiosk, action: .search,
                        details: ["query": q, "count": String(count)]))
            }
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    private func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    private func f(_ v: Double) -> String { String(format: "%.3f", v) }
}
