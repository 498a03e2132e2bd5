import ArgumentParser
import Foundation
import Guichet

/// `guichet`: the front-desk service for a school's ENT accounts.
@main
struct GuichetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guichet",
        abstract: "Le guichet ENT : import, recherche et fiches des comptes ENT de l'établissement.",
        subcommands: [ImportCommand.self, SearchCommand.self, ServeCommand.self, StaffCommand.self, JournalCommand.self,
                      SheetsCommand.self, RenewCommand.self, APIKeyCommand.self])
}

/// Where the database is: `--db PATH`, else `GUICHET_DB`, else `./guichet.sqlite3`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database file (default: $GUICHET_DB or ./guichet.sqlite3).")
    var db: String?

    func open() throws -> GuichetDatabase {
        try GuichetDatabase(path: db ?? GuichetDatabase.defaultPath(), access: .command)
    }
}

/// Writes a value as pretty JSON on standard output.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Prints to standard error and exits with `code`: the command line's way of reporting a refused operation.
func fail(_ message: String, code: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data(("guichet: " + message + "\n").utf8))
    exit(code)
}
