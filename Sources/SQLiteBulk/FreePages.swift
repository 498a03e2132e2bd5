import CMalloc
import Foundation

/// The C heap's free pages given back to the system. glibc keeps the memory of freed small blocks (an export's
/// strings, a dictionary's keys) in its heap, resident, and reuses it only for blocks of the same heap: a large
/// buffer allocated after (the index rows' packed runs) comes from new pages, so a phase's freed memory and the next
/// phase's add up in the process's peak. Measured on the realistic 1M import: 256 MB still resident after the family
/// names were numbered and their dictionaries let go, the export's rows' strings after their accounts were written.
public enum FreePages {
    /// Returns the free pages of every heap to the system (glibc's `malloc_trim(0)`); elsewhere, does nothing.
    public static func giveBack() {
        _ = guichet_malloc_trim()
    }
}

extension FreePages {
    /// Gives back the whole pages inside `bytes`, memory its owner will never read again (they read as zeros after,
    /// Linux's `madvise(MADV_DONTNEED)` on private anonymous memory): the export's bytes once a piece of them is
    /// parsed, so that a 225 MB file is not held whole beside the rows made from it. Pages that `bytes` shares with
    /// memory beyond it are kept.
    public static func discard(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let end = (Int(bitPattern: base) + bytes.count) / page * page
        guard end > start, let first = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(first, end - start, MADV_DONTNEED)  // advice: a failure only leaves the pages resident
    }
}
