import Foundation
import GRDB
import Logging
import Mail

/// Sends the outbox: one message at a time, due ones first, each claimed in a committed transaction before the relay
/// hears of it (the protocol is in `Outbox`). `guichet serve` runs one on a background thread (`start`/`stop`);
/// `guichet mail send-pending` calls `sendNext` in a loop.
public final class MailSender: @unchecked Sendable {
    /// Hands a message to the relay; returns its reply code or throws a `MailError`. Tests may pass their own.
    public typealias Transport = @Sendable (MailMessage) throws -> Int

    let database: GuichetDatabase
    let mail: MailSettings
    let sheets: SheetSettings
    let transport: Transport
    let clock: @Sendable () -> Date
    let logger: Logger
    /// "pid:token": who marked a row `sending`, so that another process can tell whether that sender still runs.
    let claimant = "\(getpid()):\(UUID().uuidString.prefix(8))"

    // The background thread's state, guarded by `condition`.
    private let condition = NSCondition()
    private var stopping = false
    private var woken = false
    private var running = false

    public init(
        database: GuichetDatabase, mail: MailSettings, sheets: SheetSettings, transport: Transport? = nil,
        logger: Logger = Logger(label: "guichet.mail"), clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.mail = mail
        self.sheets = sheets
        let relay = mail.relay
        self.transport = transport ?? { message in try SMTPClient.send(message, via: relay) }
        self.logger = logger
        self.clock = clock
    }

    // MARK: The background thread

    /// Starts the sending thread: it recovers interrupted sends, then sends whatever is due, sleeping until the next
    /// retry is due or `wake` is called.
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !running else { return }
        (running, stopping) = (true, false)
        let thread = Thread { [self] in loop() }
        thread.name = "guichet-mail"
        thread.start()
    }

    /// Something was queued: send it now rather than at the next periodic look.
    public func wake() {
        condition.lock()
        woken = true
        condition.signal()
        condition.unlock()
    }

    /// Stops the thread after the message in hand (bounded by the SMTP timeout), and returns once it has stopped:
    /// no row is left `sending` by a graceful stop.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        do {
            for lost in try recover() {
                logger.warning("e-mail \(lost.id) to \(lost.login) was interrupted while sending: marked unknown, not resent")
            }
        } catch {
            logger.error("mail outbox recovery failed: \(error)")
        }
        while true {
            condition.lock()
            let stop = stopping
            condition.unlock()
            if stop { break }
            var next: Date?
            do {
                if try sendNext() != nil { continue }
                next = try nextDue()
                _ = try recover()
            } catch {
                logger.error("mail sender: \(error)")
            }
            condition.lock()
            // Sleep until the next retry is due, or at most 30 s (a batch queued by another process is seen then).
            let until = min(next ?? .distantFuture, Date().addingTimeInterval(30))
            while !stopping && !woken && Date() < until { _ = condition.wait(until: until) }
            woken = false
            condition.unlock()
        }
        condition.lock()
        running = false
        condition.broadcast()
        condition.unlock()
    }

    // MARK: One step at a time

    /// Marks `unknown` (and journals `mail-failed`) every row left `sending` by a sender that is gone: its process
    /// no longer runs, or its claim is older than the SMTP timeout allows. Such a row is never sent again.
    @discardableResult
    public func recover() throws -> [MailDelivery] {
        let now = clock()
        let margin = TimeInterval(mail.connectTimeoutSeconds + mail.timeoutSeconds + 30)
        return try database.writer.write { db in
            var lost: [MailDelivery] = []
            for row in try Row.fetchAll(db, sql: "SELECT * FROM mail_outbox WHERE state = 'sending'") {
                let claimedBy: String = row["claimed_by"] ?? ""
                let claimedAt = Outbox.parseTime(row["claimed_at"]) ?? .distantPast
                guard claimedBy != claimant else { continue }
                guard !Self.isRunning(claimedBy) || now.timeIntervalSince(claimedAt) > margin else { continue }
                let error = "interrupted while sending (the sender stopped before the relay's answer was recorded): not resent"
                try db.execute(
                    sql: "UPDATE mail_outbox SET state = 'unknown', last_error = ?, finished_at = ? WHERE id = ?",
                    arguments: [error, Outbox.time(now), row["id"] as Int64])
                let delivery = MailDelivery(
                    row: try Row.fetchOne(db, sql: "SELECT * FROM mail_outbox WHERE id = ?", arguments: [row["id"] as Int64])!)
                try journal(db, .mailFailed, delivery, row: row, error: error, now: now)
                lost.append(delivery)
            }
            return lost
        }
    }

    /// Sends the next due message: claims it, renders its sheet, hands it to the relay, records the outcome. Returns
    /// the delivery as it stands afterwards (sent, failed, or queued again for a retry), or nil when nothing is due.
    @discardableResult
    public func sendNext() throws -> MailDelivery? {
        guard let claimed = try claim() else { return nil }
        let id: Int64 = claimed["id"]
        if let reason = try cancellation(claimed) { return try cancel(id: id, claimed: claimed, reason: reason) }
        let outcome: Result<(Int, String), MailError>
        do {
            let message = try compose(claimed)
            outcome = Result { () throws(MailError) in (try sendThrowingMailError(message), message.messageID) }
        } catch let error as MailError {
            outcome = .failure(error)
        } catch {
            // The sheet could not be rendered, or the account changed: no message exists, so none was sent.
            outcome = .failure(MailError.refused("\(error)"))
        }
        return try record(id: id, claimed: claimed, outcome)
    }

    /// When the next queued message is due, or nil when none is queued.
    public func nextDue() throws -> Date? {
        try database.writer.read { db in
            Outbox.parseTime(try String.fetchOne(db, sql: "SELECT min(next_attempt_at) FROM mail_outbox WHERE state = 'queued'"))
        }
    }

    private func sendThrowingMailError(_ message: MailMessage) throws(MailError) -> Int {
        do { return try transport(message) } catch let error as MailError { throw error } catch {
            throw MailError.refused("\(error)")
        }
    }

    /// The claim: in its own committed transaction, before any byte goes to the relay.
    private func claim() throws -> Row? {
        let now = clock()
        return try database.writer.write { db in
            guard
                let id = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT id FROM mail_outbox WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1
                        """, arguments: [Outbox.time(now)])
            else { return nil }
            try db.execute(
                sql: """
                    UPDATE mail_outbox SET state = 'sending', attempts = attempts + 1, claimed_by = ?, claimed_at = ?
                    WHERE id = ? AND state = 'queued'
                    """, arguments: [claimant, Outbox.time(now), id])
            return try Row.fetchOne(db, sql: "SELECT * FROM mail_outbox WHERE id = ?", arguments: [id])
        }
    }

    private func compose(_ row: Row) throws -> MailMessage {
        let login: String = row["login"]
        let address: String = row["address"]
        let (person, dataDate) = try database.writer.read { db in
            (try SheetPeople.load(login: login, db)?.person, try SheetPeople.dataDate(db))
        }
        guard let person else { throw MailingError.accountNotFound(login) }
        // Only to the address on file: one that changed since the message was queued is not written to.
        guard (try? Mailing.usableAddress(person)) == address else {
            throw MailError.refused("the address on file for \(login) changed since the e-mail was queued; queue it again")
        }
        let now = clock()
        let sheet = Sheet(
            person: person, settings: sheets,
            stamp: Sheet.Stamp(number: row["sheet_number"], printedAt: now, dataDate: dataDate))
        return try SheetMail.compose(sheet, to: address, mail: mail, sheets: sheets, now: now)
    }

    /// Why a claimed message must not go at all, checked again at send time: its account left the ENT's export since
    /// it was queued (queueing refuses a gone account; an import may mark it gone before the message's turn).
    private func cancellation(_ row: Row) throws -> String? {
        let login: String = row["login"]
        let since = try database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT gone_since FROM account WHERE login = ?", arguments: [login])
        }
        return since.map { "cancelled: account-gone (left the ENT's export on \($0.prefix(10)), after the e-mail was queued)" }
    }

    /// A message cancelled before any byte went to the relay: final (`failed`, the reason in `last_error`) and
    /// journalled as `mail-failed` with that reason, like a refusal, so that the batch's report and the review say why.
    private func cancel(id: Int64, claimed: Row, reason: String) throws -> MailDelivery {
        let now = clock()
        return try database.writer.write { db in
            try db.execute(
                sql: "UPDATE mail_outbox SET state = 'failed', last_error = ?, finished_at = ? WHERE id = ?",
                arguments: [reason, Outbox.time(now), id])
            let delivery = MailDelivery(
                row: try Row.fetchOne(db, sql: "SELECT * FROM mail_outbox WHERE id = ?", arguments: [id])!)
            try journal(db, .mailFailed, delivery, row: claimed, error: reason, now: now)
            return delivery
        }
    }

    private func record(id: Int64, claimed: Row, _ outcome: Result<(Int, String), MailError>) throws -> MailDelivery {
        let now = clock()
        let attempts: Int = claimed["attempts"]
        return try database.writer.write { db in
            switch outcome {
            case .success(let (code, messageID)):
                try db.execute(
                    sql: """
                        UPDATE mail_outbox SET state = 'sent', smtp_code = ?, message_id = ?, last_error = NULL, finished_at = ? WHERE id = ?
                        """, arguments: [code, messageID, Outbox.time(now), id])
            case .failure(let error) where error.kind == .temporary && attempts < mail.maxAttempts:
                let next = now.addingTimeInterval(mail.retryDelay(afterAttempts: attempts))
                try db.execute(
                    sql: """
                        UPDATE mail_outbox SET state = 'queued', smtp_code = ?, last_error = ?, next_attempt_at = ?, claimed_by = NULL WHERE id = ?
                        """, arguments: [error.smtpCode, String(error.description.prefix(500)), Outbox.time(next), id])
            case .failure(let error):
                try db.execute(
                    sql: "UPDATE mail_outbox SET state = 'failed', smtp_code = ?, last_error = ?, finished_at = ? WHERE id = ?",
                    arguments: [error.smtpCode, String(error.description.prefix(500)), Outbox.time(now), id])
            }
            let delivery = MailDelivery(
                row: try Row.fetchOne(db, sql: "SELECT * FROM mail_outbox WHERE id = ?", arguments: [id])!)
            switch delivery.state {
            case .sent: try journal(db, .mailSent, delivery, row: claimed, error: nil, now: now)
            case .failed: try journal(db, .mailFailed, delivery, row: claimed, error: delivery.error, now: now)
            default: break  // a retry to come: only the final outcome is journalled
            }
            return delivery
        }
    }

    private func journal(_ db: Database, _ action: JournalAction, _ delivery: MailDelivery, row: Row, error: String?, now: Date)
        throws
    {
        var details = MailJournalDetails(address: delivery.address, delivery: delivery.id)
        details.batch = delivery.batch
        details.attempts = delivery.attempts
        details.smtp = delivery.smtpCode
        details.messageId = delivery.messageID
        details.error = error.map { String($0.prefix(300)) }
        details.state = delivery.state.rawValue
        try Journal.append(
            db,
            JournalEntry(
                staff: row["staff"], channel: Channel(rawValue: row["channel"]) ?? .cli, action: action,
                target: delivery.login, details: details), at: now)
    }

    /// Whether the process named in a claim ("pid:token") still runs on this machine (the database is local).
    static func isRunning(_ claimant: String) -> Bool {
        guard let pid = claimant.split(separator: ":").first.flatMap({ Int32($0) }), pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
