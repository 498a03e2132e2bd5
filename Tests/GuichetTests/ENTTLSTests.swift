import Foundation
import TestSupport
import Testing
@testable import Guichet

/// The ENT over HTTPS: a throwaway certificate for 127.0.0.1, trusted through `[ent] ca_bundle`, refused without it.
@Suite struct ENTTLSTests {
    static let hasOpenSSL = FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")

    @Test(.enabled(if: hasOpenSSL, "needs /usr/bin/openssl to make a certificate"))
    func theENTsCertificateIsVerifiedAgainstTheConfiguredBundle() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ent-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("key.pem").path
        let certificate = directory.appendingPathComponent("cert.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1"
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)

        let f = try ENTRenewalsTests.Fixture(["--tls", certificate, key], caBundle: certificate)
        #expect(f.ent.url.hasPrefix("https://127.0.0.1:"))
        let issued = try f.renewals.issue(login: "marc.gerard", by: "agent", channel: .cli)
        #expect(try f.ent.codes()["marc.gerard"] == issued.code)
        #expect(f.session.check().first { $0.check == "tls" }?.outcome == .ok)

        // The system's authorities do not know this certificate: refused, and no password was sent.
        let untrusted = ENTSession(
            settings: try ENTSettings(
                url: f.ent.url, adminLogin: FakeENT.adminLogin,
                password: FakeENT.adminPassword, structureIDs: [FakeENT.structure]))
        do {
            try untrusted.signIn()
            Issue.record("an unknown certificate was accepted")
        } catch let error as ENTError {
            #expect(error.code == "ent-unreachable")
            #expect(error.detail.hasPrefix("TLS"))
        }
        #expect(untrusted.check().first { $0.check == "tls" }?.outcome == .failed)
        #expect(try f.ent.signIns() == 2)  // the fixture's session only: one sign-in, one for the check
    }
}
