import ArgumentParser
import Foundation
import Guichet

struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal", abstract: "Check the journal.", subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check the whole hash chain; names the first bad row.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            do {
                let (count, head) = try database.open().writer.read { db in try Journal.verify(db) }
                print("journal ok: \(count) entries, head \(head)")
            } catch let error as JournalError {
                fail(error.description, code: 3)
            }
        }
    }
}
