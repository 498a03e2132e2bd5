import ArgumentParser
import Foundation
import Guichet
import GuichetServer

/// `guichet ent check|fetch`: the connection to the ENT as the school's delegated administrator (`[ent]`).
struct ENTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ent",
        abstract: "The ENT connection ([ent] admin_login…): check it, or fetch and import the accounts' export.",
        subcommands: [ENTCheckCommand.self, ENTFetchCommand.self])
}

/// The ENT settings of the configuration in force, or a refusal (exit 78 when the configuration is wrong).
func entSettings(_ configuration: GuichetConfiguration) -> ENTSettings? {
    do { return try configuration.entSettings() } catch { fail(error.description, code: 78) }
}

struct ENTCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "One line per check: reachable, TLS, sign-in, XSRF, rights on each structure, MFA. Exit 1 if one fails.")

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print the checks as JSON.") var json = false
    @Flag(
        help:
            "Forget a refused sign-in (kept beside the database so that nothing retries into the ENT's ban) and try once more."
    ) var retry = false

    func run() throws {
        let configuration = database.configuration()
        guard let settings = entSettings(configuration) else {
            fail("no ENT connection configured: set [ent] admin_login, admin_password_file and structure_ids", code: 78)
        }
        let session = ENTSession(
            settings: settings, memory: ENTSignInMemory(besideDatabase: database.databasePath(in: configuration)))
        if retry {
            do { try session.forgetRefusal() } catch { fail("cannot forget the refused sign-in: \(error)") }
        }
        let lines = session.check()
        if json {
            try printJSON(lines)
        } else {
            for line in lines {
                let mark =
                    switch line.outcome {
                    case .ok: "ok  ";
                    case .failed: "FAIL";
                    case .skipped: "--  "
                    }
                print("\(mark)  \(line.check): \(line.detail)")
            }
        }
        if lines.contains(where: { $0.outcome == .failed }) { throw ExitCode(1) }
    }
}

struct ENTFetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download each structure's account export from the ENT and import it (all or nothing, journalled).")

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Exit quietly (status 0) when no ENT connection is configured: the nightly timer's mode.") var ifConfigured =
        false
    @Flag(help: "Print the import's summary as JSON.") var json = false
    @Option(help: "Who runs the import, for the journal.") var staff: String = "ent-fetch"

    func run() throws {
        let configuration = database.configuration()
        guard let settings = entSettings(configuration) else {
            if ifConfigured {
                print("No ENT connection configured ([ent] admin_login): exports come through the inbox.")
                return
            }
            fail("no ENT connection configured: set [ent] admin_login, admin_password_file and structure_ids", code: 78)
        }
        let summary: ImportSummary
        let path = database.databasePath(in: configuration)
        do {
            summary = try ENTFetch.run(
                session: ENTSession(settings: settings, memory: ENTSignInMemory(besideDatabase: path)),
                into: try GuichetDatabase(path: path, access: .command),
                staff: staff)
        } catch let error as ENTError {
            fail("\(error.code): \(error.detail)", code: 3)
        } catch let error as ImportError {
            fail("the ENT's export was refused, nothing changed: \(error.description)", code: 2)
        }
        if json { return try printJSON(summary) }
        print("Imported the ENT's export of \(settings.structureIDs.count) structure(s): \(summary.rows) rows")
        print(
            "  added \(summary.added), changed \(summary.changed), activated \(summary.activated), gone from the feed \(summary.goneFromFeed), back in the feed \(summary.backInFeed), unchanged \(summary.unchanged)"
        )
        print("  journal entry #\(summary.journalSeq)")
    }
}
