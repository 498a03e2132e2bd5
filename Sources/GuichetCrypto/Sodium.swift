// Library start-up and the error type shared by every wrapper in this module.
import CSodium

/// A libsodium call that failed at run time (not a bug: out of memory, malformed input).
public struct CryptoError: Error, CustomStringConvertible, Sendable {
    /// The libsodium function that failed.
    public let function: String
    /// Its return code.
    public let code: Int32
    /// What we were doing, for the log.
    public let context: String

    public var description: String { "\(function) returned \(code) (\(context))" }
}

/// One-time `sodium_init()`.
///
/// libsodium: "sodium_init() initializes the library and should be called before any other function
/// provided by Sodium. […] It returns 0 on success, -1 on failure, and 1 if the library had already
/// been initialized." A Swift `static let` initialiser runs exactly once, under `swift_once`, so every
/// thread that touches the module sees the library ready.
enum Sodium {
    private static let initialised: Bool = sodium_init() >= 0

    /// Call at the top of every public entry point. A failed init means no entropy source or no CPU
    /// features libsodium needs: nothing here can work, so it is a precondition, not a throw.
    static func ensureInitialised() {
        precondition(initialised, "sodium_init() failed: libsodium cannot be used on this machine")
    }

    /// For libsodium functions documented to always return 0: anything else is a bug here or there.
    static func expectZero(_ code: Int32, _ function: StaticString) {
        precondition(code == 0, "\(function) returned \(code), documented to always return 0")
    }
}

/// The Swift string before the first NUL of a C buffer (libsodium writes ASCII, NUL-terminated).
func decodeNulTerminated(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}
