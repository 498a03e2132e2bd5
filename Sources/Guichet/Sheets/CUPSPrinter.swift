import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Sends a PDF to a CUPS queue with `lp` (Debian's cups-client), the PDF on standard input.
///
/// `lp` rather than libcups: the desk prints a sheet at a time, `lp` is what the IT person already tests the
/// printer with, and its messages ("lp: The printer or class does not exist.") can be shown as they are.
public struct CUPSPrinter: Sendable {
    public let queue: String
    /// `lp` waits for the scheduler; past this, the job is abandoned (killed) and reported as failed.
    public var timeoutSeconds: Double = 20

    public init(queue: String) { self.queue = queue }

    public struct Failure: Error, CustomStringConvertible, Sendable, Equatable {
        public let message: String
        public var description: String { message }
    }

    /// The paths tried for `lp`, in order.
    static let lpPaths = ["/usr/bin/lp", "/usr/local/bin/lp", "/bin/lp"]

    public static var isInstalled: Bool { lpPaths.contains { FileManager.default.isExecutableFile(atPath: $0) } }

    /// Submits the job and returns its id ("queue-123"), or throws with `lp`'s own message.
    public func submit(_ pdf: [UInt8], title: String) throws(Failure) -> String {
        guard let lp = Self.lpPaths.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(message: "lp is not installed (Debian: cups-client)")
        }
        // lp may exit (unknown queue) before reading its input; writing to that pipe must fail with EPIPE rather
        // than kill the service with SIGPIPE. Process-wide, as a daemon writing to sockets and pipes wants anyway.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: lp)
        // "-t": the job's title in the queue, which anyone can list with lpstat: a number, never a name.
        process.arguments = ["-d", queue, "-t", title, "-o", "media=A4"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        (process.standardInput, process.standardOutput, process.standardError) = (input, output, errors)
        do { try process.run() } catch { throw Failure(message: "cannot run \(lp): \(error)") }
        let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: timer)
        defer { timer.cancel() }
        // Output is read on another thread while the PDF is written: neither side can fill a pipe and stall.
        let collected = Collected()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { collected.out = output.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { collected.err = errors.fileHandleForReading.readDataToEndOfFile() }
        try? input.fileHandleForWriting.write(contentsOf: Data(pdf))
        try? input.fileHandleForWriting.close()
        group.wait()
        process.waitUntilExit()
        let out = String(decoding: collected.out, as: UTF8.self)
        let err = String(decoding: collected.err, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let why =
                process.terminationReason == .uncaughtSignal
                ? "lp did not answer within \(Int(timeoutSeconds)) s"
                : (err.isEmpty ? "lp exited with status \(process.terminationStatus)" : err)
            throw Failure(message: why)
        }
        // lp: "request id is queue-123 (1 file(s))".
        guard let range = out.range(of: "request id is ") else { return out.trimmingCharacters(in: .whitespacesAndNewlines) }
        return String(out[range.upperBound...].prefix { !$0.isWhitespace })
    }
}

/// Filled by two reader threads, read after both finished (the group's wait orders the accesses).
private final class Collected: @unchecked Sendable {
    var out = Data()
    var err = Data()
}
