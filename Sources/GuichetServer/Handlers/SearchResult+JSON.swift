import Guichet
import HTTPServer

extension SearchResult {
    /// The search's answer, written by hand: `JSONEncoder` cost a quarter of a journalled search's instructions
    /// (callgrind, 1M accounts). Byte for byte what `Response.json(self)` writes — keys sorted, `goneFromFeed` as null,
    /// slashes and non-ASCII letters as they are (`searchAnswersAreWhatJSONEncoderWrites` checks it) — except
    /// that a text with a control character (never in the ENT's names) is left to `JSONEncoder`, whose escapes
    /// for them are its own.
    var response: Response {
        var out: [UInt8] = []
        out.reserveCapacity(256 + results.count * 256)
        Self.append(#"{"nearSpelling":"#, to: &out)
        Self.append(nearSpelling ? "true" : "false", to: &out)
        Self.append(#","results":["#, to: &out)
        for (index, account) in results.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            Self.append(#"{"activated":"#, to: &out)
            Self.append(account.activated ? "true" : "false", to: &out)
            Self.append(#","children":"#, to: &out)
            guard Self.write(account.children, to: &out) else { return .json(self) }
            Self.append(#","classes":"#, to: &out)
            guard Self.write(account.classes, to: &out) else { return .json(self) }
            Self.append(#","firstName":"#, to: &out)
            guard Self.write(account.firstName, to: &out) else { return .json(self) }
            Self.append(#","goneFromFeed":"#, to: &out)
            if let gone = account.goneFromFeed {
                guard Self.write(gone, to: &out) else { return .json(self) }
            } else {
                Self.append("null", to: &out)
            }
            Self.append(#","hasEmail":"#, to: &out)
            Self.append(account.hasEmail ? "true" : "false", to: &out)
            Self.append(#","lastName":"#, to: &out)
            guard Self.write(account.lastName, to: &out) else { return .json(self) }
            Self.append(#","login":"#, to: &out)
            guard Self.write(account.login, to: &out) else { return .json(self) }
            Self.append(#","parents":"#, to: &out)
            guard Self.write(account.parents, to: &out) else { return .json(self) }
            Self.append(#","profile":"#, to: &out)
            guard Self.write(account.profile.rawValue, to: &out) else { return .json(self) }
            out.append(UInt8(ascii: "}"))
        }
        Self.append(#"],"total":"#, to: &out)
        out += String(total).utf8
        Self.append(#","totalIsExact":"#, to: &out)
        Self.append(totalIsExact ? "true" : "false", to: &out)
        Self.append(#","widenedFrom":"#, to: &out)
        out += (widenedFrom.map(String.init) ?? "null").utf8
        out.append(UInt8(ascii: "}"))
        return Response(status: 200, headers: ["Content-Type": "application/json"], body: out)
    }

    /// A literal's bytes, copied at once (appending a `String`'s `utf8` view went through the generic sequence path:
    /// 0.03M instructions per page).
    private static func append(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// A JSON string; false (nothing to trust in `out`) when `text` holds a control character.
    private static func write(_ text: String, to out: inout [UInt8]) -> Bool {
        JSONText.appendString(text, to: &out)
    }

    private static func write(_ texts: [String], to out: inout [UInt8]) -> Bool {
        out.append(UInt8(ascii: "["))
        for (index, text) in texts.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            guard write(text, to: &out) else { return false }
        }
        out.append(UInt8(ascii: "]"))
        return true
    }
}
