import Foundation
import GRDB
import Guichet

/// Why a journalled search over HTTP is slower than the search alone: on one thread, in process, the same desk
/// queries (a mix of every kind) timed four ways over the same database —
///   alone        `Search.labelled` (the search as the desk shows it) in a read, nothing written in between;
///   journalled   what `Search.journalled` does: the search in a read, then its journal row in its own write
///                transaction (synchronous = FULL), so every search starts after a commit;
///   mmap         the same, the reading connection mapping the file (`PRAGMA mmap_size`), which the service does not;
///   group-16     16 searches, then their 16 journal rows in one transaction (what a group commit would do);
///   every-core   the searches alone again, shared among as many threads as the machine has cores: the most the
///                search itself allows the service, with nothing written and no HTTP (the rate of the whole run).
/// Each commit makes every reading connection drop its page cache and, with mmap, its whole mapping (SQLite's
/// pager resets when it sees the WAL changed): this separates that cost from the search's and the fsync's.
struct JournalBenchmark {
    let databasePath: String
    let queries: [String]
    let runs: Int
    var tsvPath: String? = nil

    func run() throws {
        let database = try GuichetDatabase(path: databasePath)
        // mmap reads through its own pool, whose connections map the file (the service's do not: its configuration
        // leaves SQLite's default, no mapping).
        let mapped = try GuichetDatabase(path: databasePath)
        for q in queries.prefix(50) { _ = try read(q, database, mmap: false); _ = try read(q, mapped, mmap: true) }  // warm-up
        print("\(queries.count) desk queries (every kind), \(runs) runs, modes interleaved, one thread; ms per query")
        print("mode         search p50  commit p50  mean total  queries/s")
        var tsv = ""
        for r in 0..<runs {
            for mode in ["alone", "journalled", "group-16", "mmap", "every-core"] {
                let db = mode == "mmap" ? mapped : database
                var reads: [Double] = [], writes: [Double] = []
                let start = DispatchTime.now().uptimeNanoseconds
                var pending: [(String, Int)] = []
                if mode == "every-core" { reads = try readOnEveryCore(database) }
                for q in queries where mode != "every-core" {
                    let (ms, count) = try read(q, db, mmap: mode == "mmap")
                    reads.append(ms)
                    switch mode {
                    case "alone", "every-core": break
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

    /// The queries shared among one thread per core (query i on thread i mod cores), each read as `read` does;
    /// their times in no particular order.
    private func readOnEveryCore(_ database: GuichetDatabase) throws -> [Double] {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: cores) { thread in
            var mine: [Double] = []
            do {
                for (i, q) in queries.enumerated() where i % cores == thread {
                    mine.append(try read(q, database, mmap: false).0)
                }
                results.add(.success(mine))
            } catch {
                results.add(.failure(error))
            }
        }
        return try results.all.flatMap { try $0.get() }
    }

    /// What `readOnEveryCore`'s threads hand back, under a lock.
    private final class Results: @unchecked Sendable {
        // @unchecked: `all` is read and written only with `lock` held, or after every thread is done.
        private let lock = NSLock()
        private(set) var all: [Result<[Double], any Error>] = []
        func add(_ result: Result<[Double], any Error>) { lock.withLock { all.append(result) } }
    }

    private func read(_ q: String, _ database: GuichetDatabase, mmap: Bool) throws -> (Double, Int) {
        let start = DispatchTime.now().uptimeNanoseconds
        let total = try database.writer.read { db in
            if mmap { try db.execute(sql: "PRAGMA mmap_size = 2147418112") }
            return try Search.labelled(SearchQuery(text: q), in: db).total
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
