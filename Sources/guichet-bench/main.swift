// guichet-bench: in-process measurements that Scripts/bench-search prints. Not part of the product.
//   guichet-bench search --db DB --fts FTSDB [--queries N] [--runs R]
//   guichet-bench sheets --db DB [--runs R]                      (Scripts/bench-sheets)
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.first == "search" || arguments.first == "sheets" else {
    FileHandle.standardError.write(Data("usage: guichet-bench search --db DB --fts FTSDB [--queries N] [--runs R] | sheets --db DB [--runs R]\n".utf8))
    exit(2)
}
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
}
if arguments.first == "sheets" {
    guard let db = option("--db") else {
        FileHandle.standardError.write(Data("guichet-bench: --db is required\n".utf8))
        exit(2)
    }
    do {
        try SheetBenchmark(databasePath: db, runs: Int(option("--runs") ?? "") ?? 50).run()
    } catch {
        FileHandle.standardError.write(Data("guichet-bench: \(error)\n".utf8))
        exit(1)
    }
    exit(0)
}
guard let db = option("--db"), let fts = option("--fts") else {
    FileHandle.standardError.write(Data("guichet-bench: --db and --fts are required\n".utf8))
    exit(2)
}
do {
    try SearchBenchmark(databasePath: db, ftsPath: fts, queriesPerCategory: Int(option("--queries") ?? "") ?? 500,
                        runs: Int(option("--runs") ?? "") ?? 3).run()
} catch {
    FileHandle.standardError.write(Data("guichet-bench: \(error)\n".utf8))
    exit(1)
}
