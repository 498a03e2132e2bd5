import ArgumentParser
import Foundation
import Guichet

struct RenewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew",
        abstract: "Issue a one-time renewal code for an activated account; it is printed once and never stored in clear.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The account's login.") var login: String
    @Option(name: .customLong("as"), help: "The staff member issuing the code (journalled).") var staff: String
    @OptionGroup var renewal: RenewalOptions

    func run() throws {
        let codes = try RenewalCodes(database: try database.open(), settings: try renewal.settings())
        let issued: RenewalCodes.Issued
        do {
            issued = try codes.issue(login: login, by: staff, channel: .cli)
        } catch let error as RenewalError { fail(error.description) }
        let groups = stride(from: 0, to: issued.code.count, by: 4).map { start in
            String(issued.code.dropFirst(start).prefix(4))
        }
        print("Renewal code for \(issued.login): \(groups.joined(separator: " "))")
        print("Valid once, until \(Timestamp.format(issued.expiresAt)). It will not be shown again (journal entry #\(issued.journalSeq)).")
    }
}

/// The renewal code settings shared by `serve` and `renew`.
struct RenewalOptions: ParsableArguments {
    @Option(name: .customLong("renewal-code-length"), help: "Characters per renewal code, 8 to 16.")
    var length = 8
    @Option(name: .customLong("renewal-validity-hours"), help: "How long a renewal code stays valid, in hours.")
    var validityHours = 24.0

    func settings() throws -> RenewalSettings {
        do { return try RenewalSettings(length: length, validity: validityHours * 3600) } catch let error as RenewalError {
            throw ValidationError(error.description)
        }
    }
}
