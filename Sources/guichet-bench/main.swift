// guichet-bench: in-process measurements that Scripts/bench-search prints. Not part of the product.
//   guichet-bench search --db DB --fts FTSDB [--queries N] [--runs R]
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.first == "search" else {
    FileHandle.standardError.write(Data("usage: guichet-bench search --db DB --fts FTSDB [--queries N] [--runs R]\n".utf8))
    exit(2)
}
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
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
