import Foundation
import Guichet
import Testing
@testable import GuichetServer

/// The `[mail]` section: the relay, the sender, and its line-numbered refusals.
@Suite struct ConfigurationMailTests {
    @Test func aMailSectionBecomesTheSenderSettings() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-mailconf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let secret = folder.appendingPathComponent("smtp-password").path
        try "s3cret-relay\n".write(toFile: secret, atomically: true, encoding: .utf8)
        let c = try GuichetConfiguration.parse(
            """
            [mail]
            host = "smtp.ac-example.fr"
            security = "tls"
            username = "vie-scolaire@lycee.example.org"
            password_file = "\(secret)"
            from_address = "vie-scolaire@lycee.example.org"
            from_name = "Lycée Jean-Jaurès — Vie scolaire"
            reply_to = "secretariat@lycee.example.org"
            max_attempts = 3
            retry_minutes = 2
            """, file: "g.toml")
        let mail = try #require(try c.serverSettings(kioskRoot: "/tmp").mail)
        #expect(mail.host == "smtp.ac-example.fr" && mail.port == 465 && mail.security == .tls)
        #expect(mail.password == "s3cret-relay" && mail.username == "vie-scolaire@lycee.example.org")
        #expect(mail.fromName == "Lycée Jean-Jaurès — Vie scolaire" && mail.replyTo == "secretariat@lycee.example.org")
        #expect(mail.maxAttempts == 3 && mail.retryBaseSeconds == 120)
    }

    @Test func withoutAMailSectionEmailIsOff() throws {
        #expect(try GuichetConfiguration.parse("", file: "g.toml").serverSettings(kioskRoot: "/tmp").mail == nil)
    }

    @Test func badMailValuesAreRefusedWithTheirLine() throws {
        func problem(_ text: String) -> ConfigurationError? {
            do { _ = try GuichetConfiguration.parse(text, file: "g.toml"); return nil } catch { return error.problems.first }
        }
        let security = problem("[mail]\nhost = \"smtp.example.org\"\nsecurity = \"ssl\"")
        #expect(security?.line == 3 && security?.key == "[mail] security")
        #expect(security?.reason == "must be \"starttls\", \"tls\" or \"none\" (not \"ssl\")")
        let from = problem("[mail]\nfrom_address = \"Vie scolaire <vs@lycee.org>\"")
        #expect(from?.line == 2 && from?.key == "[mail] from_address")
        #expect(problem("[mail]\nport = 70000")?.reason == "must be from 1 to 65535 (not 70000)")
        let c = try GuichetConfiguration.parse("[mail]\nhost = \"smtp.example.org\"", file: "g.toml")
        #expect(throws: ConfigurationErrors.self) { _ = try c.serverSettings(kioskRoot: "/tmp") }
    }
}
