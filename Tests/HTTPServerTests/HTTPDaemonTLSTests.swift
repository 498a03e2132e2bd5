import Foundation
import Testing
@testable import HTTPServer

/// HTTPS through GnuTLS, with a throwaway self-signed certificate.
@Suite struct HTTPDaemonTLSTests {
    static let hasTools =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")

    @Test(.enabled(if: hasTools, "needs /usr/bin/openssl to make a certificate and /usr/bin/curl as the client"))
    func tlsRoundTripReachesTheHandlerMarkedAsTLS() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("key.pem").path
        let certificate = directory.appendingPathComponent("cert.pem").path
        let made = try run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=localhost"
            ])
        #expect(made.status == 0, "\(made.output)")

        let tls = TLSConfiguration(
            certificatePEM: try String(contentsOfFile: certificate, encoding: .utf8),
            privateKeyPEM: try String(contentsOfFile: key, encoding: .utf8))
        let daemon = try HTTPDaemon(configuration: testConfiguration { $0.tls = tls }, handler: echoHandler)
        defer { daemon.stop() }
        let fetched = try run(
            "/usr/bin/curl",
            [
                "--silent", "--show-error", "--insecure", "--max-time", "10",
                "--data", "over tls", "https://127.0.0.1:\(daemon.port)/secure?x=%C3%A9"
            ])
        #expect(fetched.status == 0)
        #expect(fetched.output.contains("tls=true"))
        #expect(fetched.output.contains("query:x=é"))
        #expect(fetched.output.hasSuffix("body=over tls"))

        // Plain HTTP to the TLS port gets no HTTP answer.
        #expect((try? roundTrip(daemon.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"))?.status == nil)
    }

    @Test func invalidCertificateFailsToStart() {
        let tls = TLSConfiguration(certificatePEM: "not a certificate", privateKeyPEM: "not a key")
        #expect(throws: HTTPServerError.self) {
            _ = try HTTPDaemon(configuration: testConfiguration { $0.tls = tls }, handler: echoHandler)
        }
    }

    private func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
