import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Files the command line writes for a person (`sheets -o`, `--csv`, `journal export -o`, `mail report -o`): they hold
/// personal data and codes, so they are created mode 0600, and never through a symbolic link (a link planted at the
/// expected name in a shared folder would otherwise send the data, or a truncation, wherever it points).
public enum PrivateFile {
    public struct Refused: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        /// True when `writeAtomically(…, placement: .neverReplacing)` found `path` there already.
        public var alreadyExists = false
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Opens `path` for writing, created or truncated, mode 0600.
    public static func open(_ path: String) throws -> FileHandle {
        // open(2): "O_NOFOLLOW: If the trailing component (i.e., basename) of pathname is a symbolic link, then the
        // open fails, with the error ELOOP."
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0o600)
        guard fd >= 0 else {
            throw Refused(path: path, reason: errno == ELOOP ? "it is a symbolic link" : String(cString: strerror(errno)))
        }
        var info = stat()
        // Only a regular file: not a FIFO or a device someone left at that name (O_NONBLOCK kept the open from
        // waiting on a FIFO). An existing file is made 0600 before anything is written to it.
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, fchmod(fd, 0o600) == 0, ftruncate(fd, 0) == 0 else {
            let reason = info.st_mode & S_IFMT != S_IFREG ? "it is not a regular file" : String(cString: strerror(errno))
            close(fd)
            throw Refused(path: path, reason: reason)
        }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// Writes `bytes` to `path` as `open` does.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let handle = try open(path)
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }
}
