import ArgumentParser
import Foundation
import Guichet
import GuichetServer

struct RenewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew",
        abstract: "Issue a one-time renewal code for an activated account; it is printed once and never stored in clear.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The account's login.") var login: String
    @Option(name: .customLong("as"), help: "The staff member issuing the code (journalled).") var staff: String
    @OptionGroup var renewal: RenewalOptions

    func run() throws {
        let configuration = database.configuration()
        let settings: RenewalSettings
        do { settings = try configuration.applying(renewal.overrides()).renewal } catch { fail(error.description, code: 78) }
        let db = try GuichetDatabase(path: database.databasePath(in: configuration), access: .command)
        // Gone from the export, or federated: no renewal code (as on the kiosk: 409 account-gone / account-federated).
        do { try Accounts.checkHandover(db, login: login, federation: configuration.ent.federated, federatedToo: true) } catch let refusal as Accounts.Refusal {
            switch refusal {
            case .gone(let since): fail("\(login) is gone from the ENT's export since \(since.prefix(10)): no renewal code")
            case .federated(let services): fail("\(login) signs in with \(services.map(\.rawValue).joined(separator: " or ")): no renewal code")
            }
        }
        let codes = try RenewalCodes(database: db, settings: settings)
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

/// The renewal code settings shared by `serve` and `renew`: each overrides its `[renewal]` key.
struct RenewalOptions: ParsableArguments {
    @Option(name: .customLong("renewal-code-length"), help: "Characters per renewal code, 8 to 16 ([renewal] code_length; default 8).")
    var length: Int?
    @Option(name: .customLong("renewal-validity-hours"), help: "How long a renewal code stays valid, in hours ([renewal] validity_hours; default 24).")
    var validityHours: Double?

    func overrides() -> [GuichetConfiguration.Override] {
        var list: [GuichetConfiguration.Override] = []
        if let length { list.append(.init("--renewal-code-length", "renewal.code_length", .integer(length))) }
        if let validityHours { list.append(.init("--renewal-validity-hours", "renewal.validity_hours", .float(validityHours))) }
        return list
    }
}
