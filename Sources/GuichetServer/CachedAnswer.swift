import Foundation
import HTTPServer

/// One answer kept for a few seconds, then made again: for what monitoring polls (`/healthz`). Whoever finds it
/// stale makes the new one while the others wait for it, so a burst of requests costs one database read.
final class CachedAnswer: @unchecked Sendable {
    // @unchecked: `answer` and `expires` are read and written only with `lock` held.
    private let lock = NSLock()
    private let lifetime: Duration
    private var answer: Response?
    private var expires = ContinuousClock.now

    init(seconds: Int) {
        lifetime = .seconds(seconds)
    }

    /// The kept answer while it is fresh, else `make()`'s (kept when it does not throw).
    func get(_ make: () throws -> Response) rethrows -> Response {
        try lock.withLock {
            let now = ContinuousClock.now
            if let answer, now < expires { return answer }
            let made = try make()
            (answer, expires) = (made, now + lifetime)
            return made
        }
    }
}
