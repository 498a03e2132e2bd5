// guichet-bench: in-process measurements that Scripts/bench (and bench-search, bench-sheets) print. Not part of the product.
//   guichet-bench search --db DB --fts FTSDB [--queries N] [--runs R] [--tsv FILE] [--slowest N] [--only KIND] [--query TEXT]
//   guichet-bench sheets --db DB [--runs R] [--batch-runs N] [--tsv FILE]
//   guichet-bench answers --db DB --queries TSV --out TSV [--runs R] [--page]   (desk queries' top 3 and times,
//       search-quality.py; with --page, each whole page and its total instead of the top 3: to diff two builds)
//   guichet-bench journal --db DB [--queries N] [--runs R] [--tsv FILE]   (search with and without its journal commit)
// --tsv writes every run's figures, tab-separated, for Scripts/bench's medians and table.
import Foundation
import Guichet

let arguments = Array(CommandLine.arguments.dropFirst())
guard ["search", "sheets", "journal", "answers"].contains(arguments.first ?? "") else {
    FileHandle.standardError.write(
        Data(
            "usage: guichet-bench search --db DB --fts FTSDB [--queries N] [--runs R] | sheets --db DB [--runs R] | journal --db DB [--queries N] [--runs R]\n"
                .utf8))
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
        try SheetBenchmark(
            databasePath: db, runs: Int(option("--runs") ?? "") ?? 50,
            batchRuns: Int(option("--batch-runs") ?? "") ?? 1, tsvPath: option("--tsv")
        ).run()
    } catch {
        FileHandle.standardError.write(Data("guichet-bench: \(error)\n".utf8))
        exit(1)
    }
    exit(0)
}
if arguments.first == "answers" {
    guard let db = option("--db"), let queries = option("--queries"), let out = option("--out") else {
        FileHandle.standardError.write(Data("guichet-bench: --db, --queries and --out are required\n".utf8))
        exit(2)
    }
    do {
        try SearchAnswers(
            databasePath: db, queriesPath: queries, outputPath: out, runs: Int(option("--runs") ?? "") ?? 1,
            wholePage: arguments.contains("--page")
        ).run()
    } catch {
        FileHandle.standardError.write(Data("guichet-bench: \(error)\n".utf8))
        exit(1)
    }
    exit(0)
}
if arguments.first == "journal" {
    guard let db = option("--db") else {
        FileHandle.standardError.write(Data("guichet-bench: --db is required\n".utf8))
        exit(2)
    }
    do {
        // The desk's mix: every kind of query, interleaved.
        let perKind = Int(option("--queries") ?? "") ?? 100
        let database = try GuichetDatabase(path: db)
        let kinds = try database.writer.read {
            try SearchBenchmark(databasePath: db, ftsPath: "", queriesPerCategory: perKind, runs: 1).queries($0)
        }
        let mix = (0..<perKind).flatMap { i in kinds.compactMap { $0.1.indices.contains(i) ? $0.1[i] : nil } }
        try JournalBenchmark(databasePath: db, queries: mix, runs: Int(option("--runs") ?? "") ?? 3, tsvPath: option("--tsv"))
            .run()
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
    try SearchBenchmark(
        databasePath: db, ftsPath: fts, queriesPerCategory: Int(option("--queries") ?? "") ?? 500,
        runs: Int(option("--runs") ?? "") ?? 3, tsvPath: option("--tsv"),
        slowest: Int(option("--slowest") ?? "") ?? 0, only: option("--only"), query: option("--query")
    ).run()
} catch {
    FileHandle.standardError.write(Data("guichet-bench: \(error)\n".utf8))
    exit(1)
}
