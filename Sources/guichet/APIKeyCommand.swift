import ArgumentParser
import Foundation
import Guichet

struct APIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey", abstract: "Manage the API keys of connectors that redeem renewal codes (journalled).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it, once: only its hash is kept.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "A name for the connector, e.g. ent-monlycee.") var name: String

        func run() throws {
            let key: String
            do { key = try APIKeys.create(try database.open(), name: name, by: operatorName()) } catch let error as APIKeyError {
                fail(error.description)
            }
            print(key)
            FileHandle.standardError.write(
                Data("guichet: API key \"\(name)\" created; copy it now, it will not be shown again.\n".utf8))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys (names and dates, never the keys).")
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let keys = try APIKeys.list(try database.open())
            if json { return try printJSON(keys) }
            for k in keys {
                print(
                    "\(k.name)\tcreated \(k.createdAt)\(k.createdBy.map { " by \($0)" } ?? "")\t\(k.revokedAt.map { "revoked \($0)" } ?? "active")"
                )
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key for good.")
        @OptionGroup var database: DatabaseOptions
        @Argument var name: String

        func run() throws {
            do { try APIKeys.revoke(try database.open(), name: name, by: operatorName()) } catch let error as APIKeyError {
                fail(error.description)
            }
            print("Revoked \(name).")
        }
    }
}
