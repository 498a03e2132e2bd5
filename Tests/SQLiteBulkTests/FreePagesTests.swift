import Foundation
import SQLiteBulk
import Testing

/// Memory given back to the system: only whole pages inside the bytes given, never a byte beyond them.
@Suite struct FreePagesTests {
    @Test func discardZeroesTheWholePagesInsideAndKeepsEveryByteAround() {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: 6 * page, alignment: page)
        defer { bytes.deallocate() }
        bytes.initializeMemory(as: UInt8.self, repeating: 0xAB)
        // From the middle of page 1 to the middle of page 4: pages 2 and 3 lie wholly inside.
        FreePages.discard(UnsafeRawBufferPointer(rebasing: bytes[(page + 100)..<(4 * page + 50)]))
        let zeroed = (0..<bytes.count).filter { bytes[$0] == 0 }
        #expect(zeroed == Array((2 * page)..<(4 * page)))
        #expect(bytes[..<(2 * page)].allSatisfy { $0 == 0xAB } && bytes[(4 * page)...].allSatisfy { $0 == 0xAB })
        // Less than a page: nothing.
        FreePages.discard(UnsafeRawBufferPointer(rebasing: bytes[10..<(page - 10)]))
        #expect(bytes[..<page].allSatisfy { $0 == 0xAB })
    }

    @Test func givingBackFreePagesLeavesLiveMemoryAlone() {
        let kept = (0..<10_000).map { "une chaîne assez longue pour le tas, numéro \($0)" }
        var freed: [String]? = (0..<100_000).map { "une autre chaîne, libérée avant, numéro \($0)" }
        #expect(freed?.count == 100_000)
        freed = nil
        FreePages.giveBack()
        #expect(kept.enumerated().allSatisfy { $1 == "une chaîne assez longue pour le tas, numéro \($0)" })
    }
}
