import Foundation
import GRDB
import Guichet

/// Answers a file of desk queries with the ranked search, in process, for Scripts/search-quality.py: one line per
/// query line (`kind TAB query TAB intended login`): the first three logins (space-separated), whether the page was
/// widened, and the query's best time over `runs` runs in ms. With `wholePage`, the first field holds every login of
/// the page (20) and then the total and whether it is exact: two builds' outputs, diffed, show any change of answer.
struct SearchAnswers {
    let databasePath: String
    let queriesPath: String
    let outputPath: String
    let runs: Int
    var wholePage = false

    func run() throws {
        let database = try GuichetDatabase(path: databasePath)
        let lines = try String(contentsOfFile: queriesPath, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false)
        }
        let queries = lines.map { String($0[1]) }
        // Warm-up, not counted: the first queries fault the mapped file's pages in.
        for q in queries.prefix(200) { _ = try database.writer.read { try Search.labelled(SearchQuery(text: q), in: $0) } }
        var best = [Double](repeating: .infinity, count: queries.count)
        var answers = [String](repeating: "", count: queries.count)
        for _ in 0..<max(runs, 1) {
            for (k, q) in queries.enumerated() {
                let start = DispatchTime.now().uptimeNanoseconds
                let result = try database.writer.read { try Search.labelled(SearchQuery(text: q), in: $0) }
                best[k] = min(best[k], Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                let shown =
                    wholePage
                    ? result.results.map(\.login) + ["\(result.total)", "\(result.totalIsExact)"]
                    : result.results.prefix(3).map(\.login)
                answers[k] =
                    shown.joined(separator: " ") + "\t"
                    + (result.widenedFrom.map(String.init) ?? "-")
            }
        }
        let out = zip(answers, best).map { "\($0)\t\(String(format: "%.4f", $1))" }.joined(separator: "\n") + "\n"
        try out.write(toFile: outputPath, atomically: true, encoding: .utf8)
    }
}
