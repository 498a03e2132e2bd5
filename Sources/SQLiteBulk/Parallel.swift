import Foundation

/// Work spread over every core. A million-row import parses, derives and sorts independent pieces; the machine at
/// the desk has two cores or more, and one of them would otherwise wait for the other.
public enum Parallel {
    /// The cores this process may use.
    public static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// How many pieces to cut a job into: a few per core, so that one slow piece does not leave a core idle.
    public static var pieces: Int { cores * 4 }

    /// `transform(i)` for every `i` in `0..<count`, computed concurrently, in index order.
    @inlinable public static func map<T>(_ count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(transform) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = Slots(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                (base.base + i).initialize(to: transform(i))
            }
            initialized = count
        }
    }

    /// The results' memory: each iteration initializes its own element, so no two threads touch the same bytes.
    @usableFromInline struct Slots<T>: @unchecked Sendable {
        @usableFromInline let base: UnsafeMutablePointer<T>
        @usableFromInline init(base: UnsafeMutablePointer<T>) { self.base = base }
    }

    /// An array's elements read in place from many threads, inside `withUnsafeBufferPointer`. `array[i]` returns a
    /// copy: for an export's row, some twenty retains and as many releases, which the rows' threads then contend for.
    public struct Borrowed<Element>: @unchecked Sendable {
        public let buffer: UnsafeBufferPointer<Element>

        @inlinable public init(_ buffer: UnsafeBufferPointer<Element>) { self.buffer = buffer }

        @inlinable public subscript(i: Int) -> Element {
            unsafeAddress { buffer.baseAddress! + i }
        }
    }

    /// Cuts `0..<count` into at most `pieces` consecutive ranges of nearly equal size.
    public static func ranges(_ count: Int, pieces: Int = Parallel.pieces) -> [Range<Int>] {
        let n = max(1, min(pieces, count))
        return (0..<n).map { k in (count * k / n)..<(count * (k + 1) / n) }
    }
}

extension Parallel {
    /// Starts `first`, then `second`, on one other thread; each result is awaited on its own. The import's
    /// writing thread needs the index rows before the family links, and a third thread would take its core.
    public static func background<A: Sendable, B: Sendable>(
        _ first: @escaping @Sendable () -> A,
        then second: @escaping @Sendable () -> B
    ) -> (Pending<A>, Pending<B>) {
        let (a, b) = (Pending<A>(), Pending<B>())
        a.group.enter()
        b.group.enter()
        // `first` is let go once it has run: what it captured (a million accounts, say) need not wait for `second`.
        let job = Job(first)
        DispatchQueue.global().async {
            a.result = job.run()
            a.group.leave()
            b.result = second()
            b.group.leave()
        }
        return (a, b)
    }

    /// Starts `work` on one other thread; its result is awaited with `wait()`.
    public static func background<A: Sendable>(_ work: @escaping @Sendable () -> A) -> Pending<A> {
        background(work, then: {}).0
    }

    /// A closure run once, then released.
    private final class Job<T>: @unchecked Sendable {
        // Set at init, taken by the one thread that runs it.
        private var work: (@Sendable () -> T)?
        init(_ work: @escaping @Sendable () -> T) { self.work = work }
        func run() -> T {
            let work = self.work!
            self.work = nil
            return work()
        }
    }

    /// A result being computed on another thread.
    public final class Pending<T: Sendable>: @unchecked Sendable {
        fileprivate let group = DispatchGroup()
        /// Written once by the worker before `leave()`, read only after `wait()`: the group orders the two.
        fileprivate var result: T?

        /// Waits for the result and hands it over: call it once (the worker's copy is let go, not kept until the end).
        public func wait() -> T {
            group.wait()
            defer { result = nil }
            return result!
        }
    }
}
