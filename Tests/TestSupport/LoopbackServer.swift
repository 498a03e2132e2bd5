import Foundation

/// A Python test server started for one test: it prints "PORT n" once it listens, and stops when its standard input
/// closes (or on SIGTERM, then SIGKILL after 3 s) when this value is released. The fake ENT and the SMTP server.
public final class LoopbackServer: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let input = Pipe()

    /// Runs `python3 script arguments…`; `name` says which server in the error when it does not start.
    public init(script: URL, _ arguments: [String], name: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        // The first line is "PORT n", printed once the server listens.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let text = String(data: line, encoding: .utf8), text.hasPrefix("PORT "),
            let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            process.terminate()
            throw ToolFailure("\(name) did not start: \(String(decoding: line, as: UTF8.self))")
        }
        self.port = port
    }

    deinit { stop() }

    /// Stops the server and waits for it; again is a no-op.
    public func stop() {
        // Closing its standard input stops the server too, whatever its signal mask.
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
