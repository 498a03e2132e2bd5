import ArgumentParser
import Foundation
import Guichet
import GuichetServer

/// `guichet`: the front-desk service for a school's ENT accounts.
@main
struct GuichetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guichet",
        abstract: "Le guichet ENT : import, recherche et fiches des comptes ENT de l'établissement.",
        subcommands: [
            ImportCommand.self, SearchCommand.self, ServeCommand.self, StaffCommand.self, JournalCommand.self,
            SheetsCommand.self, RenewCommand.self, APIKeyCommand.self, BackupCommand.self,
            RestoreCommand.self, DoctorCommand.self, MailCommand.self, ENTCommand.self
        ])
}

/// The configuration file and the database: `--db PATH`, else `GUICHET_DB`, else the configuration's
/// `[database] path`, else `./guichet.sqlite3`. The configuration is `--config FILE`, else `GUICHET_CONFIG`, else
/// `/etc/guichet/guichet.toml` when it exists, else the built-in defaults (development).
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file (default: $GUICHET_CONFIG, else /etc/guichet/guichet.toml if it exists).")
    var config: String?
    @Option(
        name: .long,
        help: "The SQLite database file (default: $GUICHET_DB, else the configuration's [database] path, else ./guichet.sqlite3)."
    )
    var db: String?

    /// The configuration file in force, if any.
    var configPath: String? {
        if let config { return config }
        if let path = ProcessInfo.processInfo.environment["GUICHET_CONFIG"], !path.isEmpty { return path }
        return FileManager.default.fileExists(atPath: GuichetConfiguration.defaultPath) ? GuichetConfiguration.defaultPath : nil
    }

    /// Reads the configuration file in force; a bad one stops the command with every problem, exit status 78
    /// (EX_CONFIG, which the systemd unit does not restart on).
    func configuration() -> GuichetConfiguration {
        guard let path = configPath else { return GuichetConfiguration() }
        do { return try GuichetConfiguration.load(path: path) } catch { fail(error.description, code: 78) }
    }

    /// The database file; reads the configuration only when neither `--db` nor `GUICHET_DB` says.
    func databasePath(in configuration: GuichetConfiguration? = nil) -> String {
        if let db { return db }
        if let path = ProcessInfo.processInfo.environment["GUICHET_DB"], !path.isEmpty { return path }
        return (configuration ?? self.configuration()).databasePath ?? "guichet.sqlite3"
    }

    func open() throws -> GuichetDatabase {
        try GuichetDatabase(path: databasePath(), access: .command)
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
