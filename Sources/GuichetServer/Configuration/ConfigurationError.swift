/// A configuration the service cannot run with: the file, the line and the key when known, and what is wrong.
///
/// The message is stable (scripts and tests match it): `FILE line N: [section] key: reason`, where a flag given on
/// the command line stands for the file ("--port: must be …"), and parts that are not known are left out.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The configuration file, or nil when the value came from a flag.
    public let file: String?
    /// 1-based; nil when the key is not written in the file (a flag, a missing file, a key required but absent).
    public let line: Int?
    /// "[server] port", or a flag ("--port"); nil for the file as a whole.
    public let key: String?
    public let reason: String

    public init(file: String?, line: Int?, key: String?, reason: String) {
        (self.file, self.line, self.key, self.reason) = (file, line, key, reason)
    }

    public var description: String {
        var place = file ?? ""
        if let line { place += place.isEmpty ? "line \(line)" : " line \(line)" }
        let head = [place.isEmpty ? nil : place, key].compactMap { $0 }.joined(separator: ": ")
        return head.isEmpty ? reason : head + ": " + reason
    }
}

/// Every problem of a configuration file at once, in the order of its lines: the IT person fixes them in one go.
public struct ConfigurationErrors: Error, CustomStringConvertible, Equatable, Sendable {
    public let problems: [ConfigurationError]

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
