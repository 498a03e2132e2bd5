import Foundation
import Guichet
import HTTPServer
import Testing
@testable import GuichetServer

/// Flags over the file, the loopback rule, and [tls] reaching libmicrohttpd.
@Suite struct ConfigurationListeningTests {
    typealias O = GuichetConfiguration.Override

    @Test func flagsOverrideTheFileThroughTheSameChecks() throws {
        let file = try GuichetConfiguration.parse("[server]\nport = 9000\n[print]\nprinter = \"hp\"\n", file: "g.toml")
        let c = try file.applying([O("--port", "server.port", .integer(0)), O("--printer", "print.printer", .string(""))])
        #expect(c.server.port == 0 && c.print.printer == nil && file.print.printer == "hp")
        #expect(
            throws: ConfigurationErrors(problems: [
                ConfigurationError(file: nil, line: nil, key: "--port", reason: "must be from 0 to 65535 (not 70000)")
            ])
        ) {
            _ = try file.applying([O("--port", "server.port", .integer(70000))])
        }
        #expect(throws: ConfigurationErrors.self) {
            _ = try file.applying([O("--federated", "ent.federated", .table(["parent": .string("x")]))])
        }
        #expect(throws: ConfigurationErrors.self) { _ = try file.applying([O("--tls-key", "tls.key", .string("/k.pem"))]) }
        #expect(
            try file.applying([O("--federated", "ent.federated", .table(["relative": .string("EduConnect")]))]).ent.federated
                == Federation([.relative: [.educonnect]]))
    }

    @Test func plainHTTPBeyondLoopbackIsRefusedUnlessInsecureLAN() throws {
        let c = try GuichetConfiguration.parse("[server]\nport = 80\n\nbind = \"0.0.0.0\"\n", file: "g.toml")
        do {
            try c.checkListening(insecureLAN: false)
            Issue.record("accepted")
        } catch {
            #expect(error.problems.first?.line == 4)
            #expect(
                error.description.hasPrefix(
                    "g.toml line 4: [server] bind: 0.0.0.0 is reachable from the network, which needs [tls]"))
        }
        try c.checkListening(insecureLAN: true)
        for loopback in ["127.0.0.1", "127.1.2.3", "::1"] {
            try GuichetConfiguration().applying([O("--bind", "server.bind", .string(loopback))]).checkListening(
                insecureLAN: false)
        }
        var withTLS = c
        withTLS.tls = .init(certificate: "/c.pem", key: "/k.pem")
        try withTLS.checkListening(insecureLAN: false)
    }

    @Test func unreadableOrWrongTLSFilesAreNamedWithTheirKeyAndLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cert = folder.appendingPathComponent("c.pem").path, key = folder.appendingPathComponent("k.pem").path
        try "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n".write(toFile: cert, atomically: true, encoding: .utf8)
        try "not a key".write(toFile: key, atomically: true, encoding: .utf8)
        let c = try GuichetConfiguration.parse("[tls]\ncertificate = \"\(cert)\"\nkey = \"\(key)\"\n", file: "g.toml")
        #expect(
            throws: ConfigurationErrors(problems: [
                ConfigurationError(
                    file: "g.toml", line: 3, key: "[tls] key", reason: "\(key) is not a PEM file holding a private key")
            ])
        ) {
            _ = try c.loadTLS()
        }
        try "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n".write(toFile: key, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
        #expect(
            throws: ConfigurationErrors(problems: [
                ConfigurationError(
                    file: "g.toml", line: 3, key: "[tls] key",
                    reason: "\(key) is readable by every user; chmod 640 it (owner root, group guichet)")
            ])
        ) {
            _ = try c.loadTLS()
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: key)
        #expect(try c.loadTLS()?.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY") == true)
        let missing = try GuichetConfiguration.parse(
            "[tls]\ncertificate = \"/nonexistent/c.pem\"\nkey = \"\(key)\"\n", file: "g.toml")
        #expect(
            throws: ConfigurationErrors(problems: [
                ConfigurationError(file: "g.toml", line: 2, key: "[tls] certificate", reason: "/nonexistent/c.pem does not exist")
            ])
        ) {
            _ = try missing.loadTLS()
        }
    }

    static let hasTools =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")

    @Test(.enabled(if: hasTools, "needs openssl to make a certificate and curl as the client"))
    func theServiceSpeaksHTTPSWithTheConfiguredCertificate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cert = folder.appendingPathComponent("c.pem").path, key = folder.appendingPathComponent("k.pem").path
        #expect(
            run(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"
                ]
            ).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        let c = try GuichetConfiguration.parse(
            "[server]\nbind = \"0.0.0.0\"\nport = 0\n[tls]\ncertificate = \"\(cert)\"\nkey = \"\(key)\"\n", file: "g.toml")
        try c.checkListening(insecureLAN: false)
        let settings = try c.serverSettings(kioskRoot: Harness.kioskRoot)
        let h = try Harness { $0 = settings }
        let daemon = try h.service.start()
        defer { daemon.stop() }
        let health = run(
            "/usr/bin/curl",
            ["--silent", "--show-error", "--insecure", "--max-time", "10", "https://127.0.0.1:\(daemon.port)/healthz"])
        #expect(health.status == 0 && health.output.contains(#""status":"ok""#), "\(health.output)")
        #expect(run("/usr/bin/curl", ["--silent", "--max-time", "5", "http://127.0.0.1:\(daemon.port)/healthz"]).status != 0)
    }

    private func run(_ tool: String, _ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        (process.standardOutput, process.standardError) = (pipe, pipe)
        do { try process.run() } catch { return (127, "\(error)") }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
