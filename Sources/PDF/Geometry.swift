// Plain values for positions, boxes and strokes. Units are PDF points (1/72 inch), origin at the
// page's top-left corner, y growing downwards (cairo's user space).

/// A position on the page, in points from the top-left corner.
public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A box on the page, in points; `y` is its top edge.
public struct Rect: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }

    /// The same box shrunk by `amount` on every side (grown when negative).
    public func insetBy(_ amount: Double) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }
}

/// How a line or an outline is drawn.
public struct Stroke: Sendable, Equatable {
    /// Line width in points.
    public var width: Double
    /// 0 is black, 1 is white.
    public var gray: Double
    /// Alternating on/off lengths in points (e.g. `[3, 2]`); nil draws a solid line.
    public var dash: [Double]?

    public init(width: Double = 0.5, gray: Double = 0, dash: [Double]? = nil) {
        self.width = width
        self.gray = gray
        self.dash = dash
    }
}
