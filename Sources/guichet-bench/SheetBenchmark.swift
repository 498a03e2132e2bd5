import Foundation
import GRDB
import Guichet

/// Times the credential sheets in process: one sheet rendered, one sheet at the desk (journal row and fsync
/// included), one 8-up page, and a whole school's batch (every account of the database) at 8 and at 1 per page.
struct SheetBenchmark {
    let databasePath: String
    let runs: Int
    /// How many times each whole-database batch is rendered.
    var batchRuns: Int = 1
    /// Where to write every timing (`sheets NAME ms,ms,…`, tab-separated), for Scripts/bench's medians.
    var tsvPath: String? = nil

    func run() throws {
        let database = try GuichetDatabase(path: databasePath)
        let settings = SheetSettings(schoolName: "Lycée Jean-Jaurès", entURL: "https://ent.example.org")
        let people = try database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY random() LIMIT ?", arguments: [max(runs, 8)]).map { row in
                Sheet.Person(
                    login: row["login"], firstName: row["first_name"], lastName: row["last_name"],
                    profile: Profile(rawValue: row["profile"]) ?? .guest, classes: [], activationCode: row["activation_code"])
            }
        }
        let count = try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM account") ?? 0 }
        func sheet(_ p: Sheet.Person, _ n: Int) -> Sheet {
            Sheet(person: p, settings: settings, stamp: Sheet.Stamp(number: String(n), printedAt: Date(), dataDate: Date()))
        }
        _ = try SheetRenderer.render([sheet(people[0], 0)], perPage: .one, settings: settings, title: "warm-up")

        var one: [Double] = [], desk: [Double] = [], page: [Double] = []
        for i in 0..<runs {
            one.append(
                try time {
                    _ = try SheetRenderer.render(
                        [sheet(people[i % people.count], i)], perPage: .one, settings: settings, title: "x")
                })
            let eight = (0..<8).map { sheet(people[($0 + i) % people.count], $0) }
            page.append(try time { _ = try SheetRenderer.render(eight, perPage: .eight, settings: settings, title: "x") })
            let login = people[i % people.count].login
            desk.append(
                try time {
                    _ = try Sheets.printAtDesk(
                        database, login: login, idCheck: .known, recipient: .owner, staff: "bench",
                        channel: .cli, settings: settings)
                })
        }
        print("accounts: \(count); \(runs) runs; times in ms (median, p90)")
        print("one sheet, rendered:                 \(stats(one))")
        print("one sheet at the desk (journalled):  \(stats(desk))")
        print("one 8-up page (8 cards), rendered:   \(stats(page))")
        var tsv = [("one", one), ("desk", desk), ("page8", page)]
        for perPage in [SheetsPerPage.eight, .one] {
            var times: [Double] = []
            for _ in 0..<max(batchRuns, 1) {
                var bytes = 0
                let ms = try time {
                    bytes = try Sheets.batch(
                        database, filter: BatchFilter(), sort: [.class], perPage: perPage, staff: "bench",
                        channel: .cli, settings: settings
                    ).bytes.count
                }
                times.append(ms)
                print(
                    "batch of all \(count) accounts, \(perPage.rawValue) per page: \(String(format: "%.0f", ms)) ms, \(bytes / 1_000_000) MB PDF"
                )
            }
            tsv.append(("batch\(perPage.rawValue)", times))
        }
        if let tsvPath {
            let text = tsv.map { "sheets\t\($0.0)\t" + $0.1.map { String(format: "%.3f", $0) }.joined(separator: ",") + "\n" }
                .joined()
            try text.write(toFile: tsvPath, atomically: true, encoding: .utf8)
        }
    }

    private func time(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
    }

    private func stats(_ values: [Double]) -> String {
        let sorted = values.sorted()
        let p50 = sorted[sorted.count / 2], p90 = sorted[min(sorted.count - 1, sorted.count * 9 / 10)]
        return String(format: "%6.1f  %6.1f", p50, p90)
    }
}
