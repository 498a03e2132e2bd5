import Foundation

/// A helper tool that is missing, failed or answered something unexpected.
public struct ToolFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The full path of a command-line tool, if installed: on `PATH` (python3 may be a pyenv shim), then the usual places.
public func toolPath(_ name: String) -> String? {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
    return (path + ["/usr/bin", "/usr/local/bin", "/bin"]).map { "\($0)/\(name)" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Runs a tool by name and returns its standard output; throws on a missing tool or a
/// non-zero exit.
@discardableResult
public func runTool(_ name: String, _ arguments: [String]) throws -> String {
    guard let path = toolPath(name) else {
        throw ToolFailure("\(name) is not installed (Debian: poppler-utils / zbar-tools)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ToolFailure("\(name) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
    }
    return String(decoding: data, as: UTF8.self)
}
