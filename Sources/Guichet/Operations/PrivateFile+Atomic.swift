import Foundation
import GuichetCrypto
#if canImport(Glibc)
    import Glibc
#endif

extension PrivateFile {
    /// How `writeAtomically` puts the new file at its name.
    public enum Placement: Sendable {
        /// link(2): "If newpath exists, it will not be overwritten" (`EEXIST`): for a file that must never be
        /// replaced (a key), and for two processes racing to create it, of which exactly one wins.
        case neverReplacing
        /// rename(2): "If newpath already exists, it will be atomically replaced, so that there is no point at which
        /// another process attempting to access newpath will find it missing."
        case replacing
    }

    /// Writes `bytes` as the whole content of `path`, mode 0600, all at once and durably: readers see the old file
    /// or the new one, never a part, and once this returns the content and the name survive a power cut.
    ///
    /// The bytes go to a temporary name beside `path` (same folder, so same file system), created with O_EXCL and
    /// mode 0600 from the start (never chmod after: no moment when others may open it), written whole, fsync'd, then
    /// linked or renamed into place, and the folder fsync'd so that the new name is on disk too. On any failure the
    /// temporary file is removed and nothing is left behind; with `.neverReplacing`, an existing `path` is left as it
    /// was and the error's `alreadyExists` is true.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, placement: Placement) throws(Refused) {
        let temporary = path + ".tmp-" + hexString(SecureRandom.bytes(8))
        // open(2): with O_CREAT|O_EXCL the call creates the file or fails; "the mode argument specifies the file
        // mode bits to be applied when a new file is created" (the umask can only remove bits).
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Refused(path: path, reason: "cannot be created: \(errorText())") }
        var placed = false
        defer { if !placed { unlink(temporary) } }
        if let failure = writeAll(bytes, to: fd) {
            close(fd)
            throw Refused(path: path, reason: "cannot be written: \(failure)")
        }
        guard fsync(fd) == 0 else {
            let failure = errorText()
            close(fd)
            throw Refused(path: path, reason: "cannot be synced to disk: \(failure)")
        }
        // close(2) after a successful fsync reports nothing new about the data; checked all the same.
        guard close(fd) == 0 else { throw Refused(path: path, reason: "cannot be closed: \(errorText())") }
        switch placement {
        case .neverReplacing:
            guard link(temporary, path) == 0 else {
                let exists = errno == EEXIST
                throw Refused(path: path, reason: "cannot be put in place: \(errorText())", alreadyExists: exists)
            }
        // The new name holds the file now; the temporary one goes (the defer).
        case .replacing:
            guard rename(temporary, path) == 0 else {
                throw Refused(path: path, reason: "cannot be put in place: \(errorText())")
            }
            placed = true
        }
        try syncFolder(of: path)
    }

    /// fsync(2) of the folder holding `path`: what makes a new or renamed name itself durable. A file system that
    /// cannot sync a folder ("EINVAL: fd is bound to a special file … which does not support synchronization") has
    /// nothing to make durable this way and is not an error.
    static func syncFolder(of path: String) throws(Refused) {
        let folder = (path as NSString).deletingLastPathComponent
        let fd = Glibc.open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Refused(path: path, reason: "its folder cannot be opened to sync it: \(errorText())") }
        defer { close(fd) }
        guard fsync(fd) == 0 || errno == EINVAL else {
            throw Refused(path: path, reason: "its folder cannot be synced to disk: \(errorText())")
        }
    }

    /// write(2) until every byte is written ("the number of bytes written may be less than count"), retrying on
    /// EINTR; nil when done, else the reason.
    private static func writeAll(_ bytes: [UInt8], to fd: Int32) -> String? {
        bytes.withUnsafeBytes { buffer -> String? in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errorText()
                }
                offset += written
            }
            return nil
        }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
