import ArgumentParser
import Foundation
import Guichet
import GuichetServer

/// `guichet mail`: the outbox from the command line: send what is pending, report a batch.
struct MailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Send the e-mails waiting in the outbox, or report a batch's per-message result.",
        subcommands: [SendPending.self, Report.self])

    struct SendPending: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send-pending",
            abstract: "Send every queued e-mail through [mail]'s relay, waiting for retries, with a progress bar.")

        @OptionGroup var database: DatabaseOptions
        @Flag(
            name: .customLong("no-wait"), help: "Send what is due now and stop, leaving retries to later (or to guichet serve).")
        var noWait = false

        func run() throws {
            let (db, sender) = try openSender(database)
            try send(with: sender, db: db, wait: !noWait)
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report", abstract: "A batch's result: counts by state, or one CSV line per message (--csv).")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The batch id (printed when it was queued).") var batch: Int64
        @Flag(help: "Write the per-message result as CSV (login, address, state, attempts, SMTP code, error, Message-ID…).")
        var csv = false
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

        func run() throws {
            let db = try database.open()
            do {
                if csv {
                    let bytes = Mailing.reportCSV(try Mailing.deliveries(db, batch: batch))
                    if let output {
                        try PrivateFile.write(bytes, to: output)
                    } else {
                        FileHandle.standardOutput.write(Data(bytes))
                    }
                } else {
                    let s = try Mailing.batchStatus(db, id: batch)
                    print(
                        "Batch \(s.batch) queued \(s.queuedAt) by \(s.staff ?? "?") (journal #\(s.journalSeq)): \(s.selected) selected, \(s.withoutAddress) without an address"
                    )
                    print(
                        "  \(s.total) e-mails: \(s.sent) sent, \(s.failed) failed, \(s.unknown) unknown, \(s.queued) queued, \(s.sending) sending"
                    )
                }
            } catch let error as MailingError {
                fail(error.description, code: 2)
            }
        }
    }
}

/// The configuration's mail sender, or a stop with exit status 78 when `[mail]` is not configured.
func openSender(_ database: DatabaseOptions, sheet: SheetOptions? = nil) throws -> (GuichetDatabase, MailSender) {
    let configuration: GuichetConfiguration
    let settings: ServerSettings
    do {
        configuration = try database.configuration().applying(try sheet?.overrides() ?? [])
        settings = try configuration.serverSettings(kioskRoot: "")
    } catch let error as ConfigurationErrors {
        fail(error.description, code: 78)
    }
    guard let mail = settings.mail else { fail("sending by e-mail is off: configure [mail] host and from_address", code: 78) }
    let db = try GuichetDatabase(path: database.databasePath(in: configuration), access: .command)
    return (db, MailSender(database: db, mail: mail, sheets: settings.sheetSettings))
}

/// Sends until the outbox holds nothing queued (or nothing due, without `wait`), drawing a progress bar on standard
/// error; reports messages interrupted by an earlier crash first.
func send(with sender: MailSender, db: GuichetDatabase, wait: Bool) throws {
    for lost in try sender.recover() {
        FileHandle.standardError.write(
            Data(
                "guichet: e-mail \(lost.id) to \(lost.login) <\(lost.address)> was interrupted while sending: marked unknown, not resent\n"
                    .utf8))
    }
    var (sent, failed, retrying) = (0, 0, 0)
    let total = try db.writer.read { db in
        try Int.fetchOne(db, sql: "SELECT count(*) FROM mail_outbox WHERE state = 'queued'") ?? 0
    }
    func bar(_ note: String = "") {
        let done = sent + failed
        let width = 30
        let filled = total == 0 ? width : min(width, done * width / total)
        let line =
            "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] \(done)/\(total)  sent \(sent), failed \(failed)\(note)"
        FileHandle.standardError.write(Data(line.utf8))
    }
    bar()
    while true {
        if let d = try sender.sendNext() {
            switch d.state {
            case .sent: sent += 1
            case .failed, .unknown: failed += 1
            default: retrying += 1
            }
            bar(d.state == .queued ? "  (\(d.login): \(d.error ?? "temporary failure"), will retry)" : "")
            continue
        }
        guard wait, let next = try sender.nextDue() else { break }
        bar(String(format: "  waiting %.0f s for a retry", max(0, next.timeIntervalSinceNow)))
        Thread.sleep(forTimeInterval: max(0.05, min(5, next.timeIntervalSinceNow)))
    }
    FileHandle.standardError.write(Data("\n".utf8))
    print("\(sent) sent, \(failed) failed" + (wait ? "" : ", the rest waits for a retry"))
}
