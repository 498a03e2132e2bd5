import Foundation
import GRDB
import TestSupport
import Testing
@testable import Guichet

/// Sheets by e-mail through the outbox, against a real SMTP server on loopback (aiosmtpd).
@Suite(.serialized, .enabled(if: TestSMTPServer.unavailable == nil, "\(TestSMTPServer.unavailable ?? "")"))
struct MailSenderTests {
    let sheets = SheetSettings(schoolName: "Lycée Jean-Jaurès", entURL: "https://ent.example.org")

    func ready() throws -> TemporaryDatabase {
        let t = try TemporaryDatabase()
        try t.importCSV(ENTExport.family.text)
        return t
    }

    func settings(_ server: TestSMTPServer, attempts: Int = 5) -> MailSettings {
        var s = MailSettings(
            host: "127.0.0.1", port: server.port, security: .none, fromAddress: "vie-scolaire@lycee.example.org",
            fromName: "Lycée Jean-Jaurès — Vie scolaire", replyTo: "secretariat@lycee.example.org")
        s.maxAttempts = attempts
        s.retryBaseSeconds = 0.05
        s.connectTimeoutSeconds = 2
        s.timeoutSeconds = 5
        return s
    }

    func journal(_ t: TemporaryDatabase, _ action: JournalAction) throws -> [[String: Any]] {
        try t.database.writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT details FROM journal WHERE action = ? ORDER BY seq", arguments: [action.rawValue])
        }.map { (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) ?? [:] }
    }

    /// Sends until nothing is queued any more (waiting for retries), at most `seconds`.
    func drain(_ sender: MailSender, seconds: Double = 10) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try sender.sendNext() != nil { continue }
            guard let next = try sender.nextDue() else { return }
            Thread.sleep(forTimeInterval: max(0.01, min(0.2, next.timeIntervalSinceNow)))
        }
    }

    @Test func deskSheetArrivesAsAWellFormedFrenchMessageWithThePDF() throws {
        let t = try ready()
        let server = try TestSMTPServer()
        let id = try Mailing.queueDesk(t.database, login: "sophie.gerard", staff: "agent", channel: .kiosk)
        let sender = MailSender(database: t.database, mail: settings(server), sheets: sheets)
        let delivery = try #require(try sender.sendNext())
        #expect(delivery.id == id && delivery.state == .sent && delivery.smtpCode == 250 && delivery.attempts == 1)
        #expect(server.recipients() == ["sophie.gerard@orange.fr"])
        let parsed = try TestSMTPServer.parse(server.messages()[0])
        #expect(parsed["defects"] as? [String] == [])
        #expect(parsed["to"] as? String == "sophie.gerard@orange.fr")
        #expect(parsed["subject"] as? String == "Votre compte ENT")
        #expect(parsed["from_name"] as? String == "Lycée Jean-Jaurès — Vie scolaire")
        #expect(parsed["from"] as? String == "Lycée Jean-Jaurès — Vie scolaire <vie-scolaire@lycee.example.org>")
        #expect((parsed["message_id"] as? String)?.hasSuffix("@lycee.example.org>") == true)
        #expect(!(parsed["date"] as? String ?? "").isEmpty)
        #expect(
            parsed["structure"] as? [String] == [
                "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"
            ])
        let text = try #require(parsed["text"] as? String)
        #expect(text.contains("Bonjour Sophie Gérard,"))
        #expect(!text.contains("hc5wxa8n"), "the code travels only in the attached sheet")
        let pdf = try #require((parsed["attachments"] as? [[String: Any]])?.first)
        #expect(pdf["filename"] as? String == "fiche-ENT-sophie.gerard.pdf")
        let pdfText = try #require(pdf["pdf_text"] as? String)
        #expect(pdfText.contains("sophie.gerard") && pdfText.contains("hc5wxa8n"))
        // Journalled: who, for whom, to which address; never the code.
        let queued = try journal(t, .mailQueued), sent = try journal(t, .mailSent)
        #expect(queued.count == 1 && sent.count == 1)
        #expect(sent.first?["address"] as? String == "sophie.gerard@orange.fr")
        #expect(sent.first?["delivery"] as? Int == Int(id))
        let all = try t.database.writer.read { db in try String.fetchAll(db, sql: "SELECT details FROM journal") }.joined()
        #expect(!all.contains("hc5wxa8n"))
    }

    @Test func activatedAccountGetsTheRenewalInstructionsNotACode() throws {
        let t = try ready()
        let server = try TestSMTPServer()
        _ = try Mailing.queueDesk(t.database, login: "ines.gerard", staff: "agent", channel: .kiosk)
        try MailSender(database: t.database, mail: settings(server), sheets: sheets).sendNext()
        let parsed = try TestSMTPServer.parse(try #require(server.messages().first))
        #expect((parsed["text"] as? String)?.contains("déjà activé") == true)
        let pdfText = try #require((parsed["attachments"] as? [[String: Any]])?.first?["pdf_text"] as? String)
        #expect(pdfText.contains("ines.gerard"))
        #expect(pdfText.contains("Mot de passe oublié") || pdfText.contains("mot de passe oublié"))
    }

    @Test func aRefusal550FailsAtOnceAndIsJournalled() throws {
        let t = try ready()
        let server = try TestSMTPServer(mode: .refuse)
        let id = try Mailing.queueDesk(t.database, login: "sophie.gerard", staff: "agent", channel: .kiosk)
        let delivery = try #require(try MailSender(database: t.database, mail: settings(server), sheets: sheets).sendNext())
        #expect(delivery.state == .failed && delivery.smtpCode == 550 && delivery.attempts == 1)
        #expect(try Mailing.delivery(t.database, id: id).error?.contains("550") == true)
        let failed = try journal(t, .mailFailed)
        #expect(
            failed.count == 1 && failed.first?["smtp"] as? Int == 550
                && failed.first?["address"] as? String == "sophie.gerard@orange.fr")
        #expect(server.messages().isEmpty)
    }

    @Test func aRelayThatIsDownIsRetriedWithBackoffThenFails() throws {
        let t = try ready()
        let server = try TestSMTPServer(mode: .down)
        let id = try Mailing.queueDesk(t.database, login: "sophie.gerard", staff: "agent", channel: .kiosk)
        // A base of 2 s (retries 2 s, then 4 s later), not the suite's 50 ms: "not due yet" must still hold however
        // long a loaded machine takes between the two calls.
        var mail = settings(server, attempts: 3)
        mail.retryBaseSeconds = 2
        let sender = MailSender(database: t.database, mail: mail, sheets: sheets)
        let first = try #require(try sender.sendNext())
        #expect(first.state == .queued && first.attempts == 1 && first.smtpCode == nil && first.nextAttemptAt != nil)
        #expect(try sender.sendNext() == nil, "the retry is not due yet")
        try drain(sender)
        let last = try Mailing.delivery(t.database, id: id)
        #expect(last.state == .failed && last.attempts == 3)
        #expect(try journal(t, .mailFailed).count == 1)
        #expect(try journal(t, .mailSent).isEmpty)
    }

    @Test func aTemporary451IsRetriedAndThenAccepted() throws {
        let t = try ready()
        let server = try TestSMTPServer(mode: .tempfail, tempfailCount: 1)
        let id = try Mailing.queueDesk(t.database, login: "sophie.gerard", staff: "agent", channel: .kiosk)
        let sender = MailSender(database: t.database, mail: settings(server), sheets: sheets)
        #expect(try sender.sendNext()?.smtpCode == 451)
        try drain(sender)
        let delivery = try Mailing.delivery(t.database, id: id)
        #expect(delivery.state == .sent && delivery.attempts == 2)
        #expect(server.recipients() == ["sophie.gerard@orange.fr"])
    }

    @Test func nothingGoesToAnAccountWithoutAnAddress() throws {
        let t = try ready()
        #expect(throws: MailingError.noAddress("zoe.gerard")) {
            try Mailing.queueDesk(t.database, login: "zoe.gerard", staff: "agent", channel: .kiosk)
        }
        var classe = BatchFilter()
        classe.classes = ["2NDE 3"]
        let preview = try Mailing.preview(t.database, filter: classe, sort: [.class])
        #expect(Set(preview.toSend) == ["sophie.gerard", "helene.lefevre-coeur"])
        #expect(Set(preview.withoutAddress) == ["zoe.gerard", "marc.gerard", "lea.coeur"])
        let server = try TestSMTPServer()
        let batch = try Mailing.queueBatch(t.database, filter: classe, sort: [.class], staff: "cpe", channel: .cli)
        #expect(batch.queued == 2 && batch.withoutAddress == 3)
        try drain(MailSender(database: t.database, mail: settings(server), sheets: sheets))
        #expect(Set(server.recipients()) == ["sophie.gerard@orange.fr", "helene.lefevre-coeur@ac-versailles.fr"])
        let status = try Mailing.batchStatus(t.database, id: batch.batch)
        #expect(status.sent == 2 && status.done && status.withoutAddress == 3 && status.selected == 5)
        var nobody = BatchFilter()
        nobody.classes = ["1ERE G1"]
        nobody.profiles = [.student]
        #expect(throws: MailingError.nobodyToSend(selected: 1)) {
            try Mailing.queueBatch(t.database, filter: nobody, sort: [.class], staff: "cpe", channel: .cli)
        }
    }

    @Test func aRestartInTheMiddleOfABatchSendsEachMessageExactlyOnce() throws {
        let t = try TemporaryDatabase()
        var export = ENTExport()
        for i in 1...8 {
            export.add(
                id: "\(i)", type: "Teacher", last: "Prof\(i)", first: "Élodie", login: "prof\(i)", classes: "2NDE 3",
                email: "prof\(i)@example.org")
        }
        try t.importCSV(export.text)
        let server = try TestSMTPServer()
        var classe = BatchFilter()
        classe.classes = ["2NDE 3"]
        let batch = try Mailing.queueBatch(t.database, filter: classe, sort: [.class], staff: "cpe", channel: .cli)
        #expect(batch.queued == 8)
        // The first run sends two messages, then dies right after marking the third `sending` (the state a crash
        // during the SMTP exchange leaves): its claim names a process that no longer runs.
        let first = MailSender(database: t.database, mail: settings(server), sheets: sheets)
        try first.sendNext()
        try first.sendNext()
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let interrupted = try t.database.writer.write { db -> Int64 in
            let id = try Int64.fetchOne(db, sql: "SELECT id FROM mail_outbox WHERE state = 'queued' ORDER BY id LIMIT 1")!
            try db.execute(
                sql: "UPDATE mail_outbox SET state = 'sending', attempts = 1, claimed_by = ?, claimed_at = ? WHERE id = ?",
                arguments: ["\(dead.processIdentifier):crashed", Outbox.time(Date()), id])
            return id
        }
        // The restart: a new sender on its thread, as `guichet serve` starts it.
        let second = MailSender(database: t.database, mail: settings(server), sheets: sheets)
        second.start()
        let deadline = Date().addingTimeInterval(15)
        while !(try Mailing.batchStatus(t.database, id: batch.batch).done) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        second.stop()
        let status = try Mailing.batchStatus(t.database, id: batch.batch)
        #expect(status.sent == 7 && status.unknown == 1 && status.done)
        #expect(try Mailing.delivery(t.database, id: interrupted).state == .unknown)
        let received = server.recipients()
        #expect(received.count == 7 && Set(received).count == 7, "each message once: \(received)")
        let unknown = try journal(t, .mailFailed)
        #expect(unknown.count == 1 && unknown.first?["state"] as? String == "unknown")
        // A row once final is never sent again, whoever tries.
        #expect(throws: (any Error).self) {
            try t.database.writer.write { db in
                try db.execute(sql: "UPDATE mail_outbox SET state = 'queued' WHERE id = ?", arguments: [interrupted])
            }
        }
        let csv = String(decoding: Mailing.reportCSV(try Mailing.deliveries(t.database, batch: batch.batch)), as: UTF8.self)
        #expect(csv.split(separator: "\n").count == 9 && csv.contains("\"unknown\"") && csv.contains("\"prof8@example.org\""))
    }

    @Test func aMessageQueuedBeforeItsAccountLeftTheExportIsCancelledNotSent() throws {
        let t = try ready()
        let server = try TestSMTPServer()
        let id = try Mailing.queueDesk(t.database, login: "sophie.gerard", staff: "agent", channel: .kiosk)
        // The night's import: Sophie Gérard left the school's export after the desk queued her sheet.
        var left = ENTExport.family
        left.rows.removeAll { $0[5] == "sophie.gerard" }
        _ = try t.importCSV(left.text, name: "export-2.csv")
        let delivery = try #require(try MailSender(database: t.database, mail: settings(server), sheets: sheets).sendNext())
        #expect(delivery.id == id && delivery.state == .failed)
        #expect(delivery.error?.hasPrefix("cancelled: account-gone") == true, "\(delivery.error ?? "")")
        #expect(server.messages().isEmpty && server.recipients().isEmpty)
        let failed = try journal(t, .mailFailed)
        #expect(failed.count == 1 && (failed.first?["error"] as? String)?.hasPrefix("cancelled: account-gone") == true)
        #expect(try journal(t, .mailSent).isEmpty)
    }
}
