import Foundation
import Guichet
import TestSupport
import Testing
@testable import GuichetServer

/// "Envoyer par e-mail" from the desk and by batch, through the routes, to a real SMTP server (aiosmtpd).
@Suite(.serialized, .enabled(if: TestSMTPServer.unavailable == nil, "\(TestSMTPServer.unavailable ?? "")"))
struct MailRouteTests {
    func harness(_ server: TestSMTPServer, mode: TestSMTPServer.Mode = .accept) throws -> Harness {
        try Harness { settings in
            var mail = MailSettings(
                host: "127.0.0.1", port: server.port, security: .none, fromAddress: "vie-scolaire@lycee.example.org",
                fromName: "Lycée Jean-Jaurès — Vie scolaire")
            mail.retryBaseSeconds = 0.05
            mail.connectTimeoutSeconds = 2
            mail.timeoutSeconds = 5
            settings.mail = mail
        }
    }

    /// Polls a JSON resource until `done` says so (at most 10 s).
    func poll(_ h: Harness, _ path: String, _ cookie: String, until done: ([String: Any]) -> Bool) -> [String: Any] {
        let deadline = Date().addingTimeInterval(10)
        var last: [String: Any] = [:]
        while Date() < deadline {
            last = object(h.call("GET", path, cookie: cookie))
            if done(last) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return last
    }

    @Test func theDeskSendsTheSheetToTheAddressOnFileAndShowsTheResult() throws {
        let server = try TestSMTPServer()
        let h = try harness(server)
        h.service.mailSender?.start()
        defer { h.service.mailSender?.stop() }
        let (cookie, csrf) = try h.signIn()
        #expect(object(h.call("GET", "/api/v1/config"))["mailEnabled"] as? Bool == true)
        let r = h.call("POST", "/api/v1/accounts/aissatou.ndiaye/email", json: "{}", cookie: cookie, csrf: csrf)
        #expect(r.status == 202)
        let queued = object(r)
        let id = try #require(queued["delivery"] as? Int)
        #expect(queued["addressMasked"] as? String == "a••••••••••••••@gmail.com")
        let result = poll(h, "/api/v1/deliveries/\(id)", cookie) {
            ["sent", "failed", "unknown"].contains($0["state"] as? String ?? "")
        }
        #expect(result["state"] as? String == "sent" && result["smtpCode"] as? Int == 250)
        #expect(server.recipients() == ["aissatou.ndiaye@gmail.com"])
        let parsed = try TestSMTPServer.parse(server.messages()[0])
        #expect(parsed["subject"] as? String == "Votre compte ENT")
        let pdf = try #require((parsed["attachments"] as? [[String: Any]])?.first?["pdf_text"] as? String)
        #expect(pdf.contains("aissatou.ndiaye") && pdf.contains("gy6snb4e"))
        #expect(try h.journalActions().suffix(2) == ["mail-queued", "mail-sent"])
    }

    @Test func aRefusalIsShownOnTheCardAndJournalled() throws {
        let server = try TestSMTPServer(mode: .refuse)
        let h = try harness(server)
        h.service.mailSender?.start()
        defer { h.service.mailSender?.stop() }
        let (cookie, csrf) = try h.signIn()
        let id = try #require(
            object(h.call("POST", "/api/v1/accounts/aissatou.ndiaye/email", json: "{}", cookie: cookie, csrf: csrf))["delivery"]
                as? Int)
        let result = poll(h, "/api/v1/deliveries/\(id)", cookie) { $0["state"] as? String == "failed" }
        #expect(result["smtpCode"] as? Int == 550 && (result["error"] as? String)?.contains("550") == true)
        #expect(try h.journalActions().last == "mail-failed")
    }

    @Test func noAddressNoMailAndNoTypedAddress() throws {
        let server = try TestSMTPServer()
        let h = try harness(server)
        let (cookie, csrf) = try h.signIn()
        let r = h.call("POST", "/api/v1/accounts/zoe.gerard/email", json: "{}", cookie: cookie, csrf: csrf)
        #expect(r.status == 409 && object(r)["code"] as? String == "no-email-address")
        // An address in the body is ignored: the message goes to the one on file.
        let typed = h.call(
            "POST", "/api/v1/accounts/aissatou.ndiaye/email", json: #"{"address":"someone@else.org"}"#, cookie: cookie, csrf: csrf
        )
        #expect(typed.status == 202)
        let id = try #require(object(typed)["delivery"] as? Int)
        #expect(try Mailing.delivery(h.database, id: Int64(id)).address == "aissatou.ndiaye@gmail.com")
        #expect(h.call("POST", "/api/v1/accounts/aissatou.ndiaye/email", json: "{}", cookie: cookie).status == 403)
        #expect(h.call("POST", "/api/v1/accounts/nobody/email", json: "{}", cookie: cookie, csrf: csrf).status == 404)
    }

    @Test func withoutMailConfiguredTheRouteSaysSo() throws {
        let h = try Harness()
        let (cookie, csrf) = try h.signIn()
        #expect(object(h.call("GET", "/api/v1/config"))["mailEnabled"] as? Bool == false)
        let r = h.call("POST", "/api/v1/accounts/aissatou.ndiaye/email", json: "{}", cookie: cookie, csrf: csrf)
        #expect(r.status == 503 && object(r)["code"] as? String == "mail-not-configured")
    }

    @Test func aReviewerQueuesABatchAndFollowsItsProgressAndReport() throws {
        let server = try TestSMTPServer()
        let h = try harness(server)
        h.service.mailSender?.start()
        defer { h.service.mailSender?.stop() }
        let (agent, agentCSRF) = try h.signIn()
        #expect(
            h.call("POST", "/api/v1/mail-batches", json: #"{"filters":{"classes":["1ERE G1"]}}"#, cookie: agent, csrf: agentCSRF)
                .status == 403)
        let (cookie, csrf) = try h.signIn("cpe", Harness.reviewerPassword)
        let body = #"{"filters":{"classes":["1ERE G1"]}}"#
        let preview = object(h.call("POST", "/api/v1/mail-batches/preview", json: body, cookie: cookie, csrf: csrf))
        #expect(preview["toSend"] as? Int == 1 && preview["withoutAddress"] as? Int == 1)
        let r = h.call("POST", "/api/v1/mail-batches", json: body, cookie: cookie, csrf: csrf)
        #expect(r.status == 202)
        let batch = try #require(object(r)["batch"] as? Int)
        let status = poll(h, "/api/v1/mail-batches/\(batch)", cookie) { $0["done"] as? Bool == true }
        #expect(status["sent"] as? Int == 1 && status["withoutAddress"] as? Int == 1)
        let csv = h.call("GET", "/api/v1/mail-batches/\(batch)/report.csv", cookie: cookie)
        #expect(csv.status == 200 && String(decoding: csv.body, as: UTF8.self).contains("\"aissatou.ndiaye@gmail.com\";\"sent\""))
    }
}
