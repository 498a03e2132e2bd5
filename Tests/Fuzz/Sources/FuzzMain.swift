import Foundation

// libFuzzer's entry point. One executable holds every target; `GUICHET_FUZZ_TARGET` (csv, search, json, url) picks
// the one this process runs, so Scripts/fuzz builds once and links once. libFuzzer supplies `main`; an invariant that
// does not hold is a `preconditionFailure`, which libFuzzer reports as a crash and saves as an input to replay.

/// The target this process fuzzes, read once.
let fuzzTarget: @Sendable (UnsafeRawBufferPointer) -> Void = {
    let name = ProcessInfo.processInfo.environment["GUICHET_FUZZ_TARGET"] ?? ""
    switch name {
    case "csv": return FuzzCSV.run
    case "search": return FuzzSearch.shared.run
    case "json": return FuzzJSON.shared.run
    case "url": return FuzzURL.shared.run
    default:
        FileHandle.standardError.write(Data("GUICHET_FUZZ_TARGET must be csv, search, json or url, not \"\(name)\"\n".utf8))
        exit(2)
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzTarget(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}

/// A folder for a target's fixtures, removed by no one: it lives in the system's temporary directory.
func fuzzFolder(_ name: String) -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-fuzz-\(name)-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}
