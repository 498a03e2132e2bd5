import Foundation
import TestSupport
import Testing
@testable import Mail

/// The Mail module against a real SMTP server on loopback (aiosmtpd): what arrives parses as the message we built.
@Suite(.serialized, .enabled(if: TestSMTPServer.unavailable == nil, "\(TestSMTPServer.unavailable ?? "")"))
struct SMTPClientTests {
    static let from = MailAddress("vie-scolaire@lycee.example.org", name: "Lycée Jean-Jaurès — Vie scolaire")

    static func message(to address: String = "aissatou.ndiaye@example.org") -> MailMessage {
        MailMessage(
            from: from, to: MailAddress(address, name: "Aïssatou N'Diaye"),
            replyTo: MailAddress("secretariat@lycee.example.org", name: "Secrétariat"),
            subject: "Votre compte ENT — Aïssatou", text: "Bonjour Aïssatou,\nvoici votre fiche.\n",
            html: "<p>Bonjour Aïssatou,</p><p>voici votre fiche.</p>",
            attachments: [
                MailAttachment(fileName: "fiche.pdf", contentType: "application/pdf", bytes: Array("%PDF-1.4 test".utf8))
            ],
            messageID: MailMessage.newMessageID(from: from))
    }

    @Test func acceptedMessageParsesWithEveryPart() throws {
        let server = try TestSMTPServer()
        let relay = SMTPRelay(host: "127.0.0.1", port: server.port, security: .none)
        let sent = Self.message()
        let reply = try SMTPClient.send(sent, via: relay)
        #expect(reply == 250)
        #expect(server.wait(for: 1) == 1)
        #expect(server.recipients() == ["aissatou.ndiaye@example.org"])
        let parsed = try TestSMTPServer.parse(server.messages()[0])
        #expect(parsed["defects"] as? [String] == [])
        #expect(parsed["to"] as? String == "aissatou.ndiaye@example.org")
        #expect(parsed["subject"] as? String == "Votre compte ENT — Aïssatou")
        #expect(parsed["from_name"] as? String == "Lycée Jean-Jaurès — Vie scolaire")
        #expect(parsed["message_id"] as? String == "<\(sent.messageID)>")
        #expect(
            parsed["structure"] as? [String] == [
                "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"
            ])
        #expect(parsed["text"] as? String == "Bonjour Aïssatou,\nvoici votre fiche.\n")
        #expect((parsed["html"] as? String)?.contains("Bonjour Aïssatou") == true)
        #expect(parsed["text_charset"] as? String == "utf-8")
        let attachment = try #require((parsed["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["filename"] as? String == "fiche.pdf")
        #expect(attachment["transfer_encoding"] as? String == "base64")
        #expect(attachment["size"] as? Int == 13)
    }

    @Test func refusedRecipientIsAPermanentFailureWithTheSMTPCode() throws {
        let server = try TestSMTPServer(mode: .refuse)
        let relay = SMTPRelay(host: "127.0.0.1", port: server.port, security: .none)
        #expect {
            _ = try SMTPClient.send(Self.message(), via: relay)
        } throws: { error in
            guard let error = error as? MailError else { return false }
            return error.kind == .permanent && error.smtpCode == 550
        }
        #expect(server.messages().isEmpty)
    }

    @Test func temporaryRefusalIsTemporary() throws {
        let server = try TestSMTPServer(mode: .tempfail)
        let relay = SMTPRelay(host: "127.0.0.1", port: server.port, security: .none)
        #expect {
            _ = try SMTPClient.send(Self.message(), via: relay)
        } throws: { error in
            guard let error = error as? MailError else { return false }
            return error.kind == .temporary && error.smtpCode == 451
        }
        let reply = try SMTPClient.send(Self.message(), via: relay)
        #expect(reply == 250)
    }

    @Test func relayDownIsTemporaryWithoutSMTPCode() throws {
        let server = try TestSMTPServer(mode: .down)
        let relay = SMTPRelay(host: "127.0.0.1", port: server.port, security: .none, connectTimeout: 2, timeout: 5)
        #expect {
            _ = try SMTPClient.send(Self.message(), via: relay)
        } throws: { error in
            guard let error = error as? MailError else { return false }
            return error.kind == .temporary && error.smtpCode == nil && error.curlCode == 7
        }
    }

    @Test func headerInjectionIsRefusedBeforeAnyConnection() throws {
        let relay = SMTPRelay(host: "127.0.0.1", port: 1, security: .none)
        #expect(throws: MailError.self) { _ = try SMTPClient.send(Self.message(to: "a@b.org\r\nBcc: c@d.org"), via: relay) }
    }
}
