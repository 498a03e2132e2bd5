/// The body of every API error: a stable `code`, an English `hint` for developers and logs, and a `detail` naming
/// what was wrong. The kiosk shows its own French or English sentence for each `code` (Kiosk/web/i18n).
public struct APIError: Error, Codable, Sendable, Equatable {
    public var status: Int
    public var code: String
    public var hint: String
    public var detail: String

    public init(_ status: Int, _ code: String, hint: String, detail: String = "") {
        self.status = status
        self.code = code
        self.hint = hint
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey { case code, hint, detail }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            0, try c.decode(String.self, forKey: .code), hint: try c.decode(String.self, forKey: .hint),
            detail: try c.decode(String.self, forKey: .detail))
    }
}
