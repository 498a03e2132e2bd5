// How a block of text looks, and what laying it out produced.

/// The look of a block of text.
public struct TextStyle: Sendable, Equatable {
    /// The DejaVu families (Debian's fonts-dejavu-core and -extra): they cover Latin, Greek, Cyrillic
    /// and Vietnamese, so every name in an ENT export renders with real glyphs.
    public enum Family: String, Sendable, CaseIterable {
        case sans = "DejaVu Sans"
        /// For codes and logins: 0/O and 1/l/I differ at a glance. It lacks a few Vietnamese letters
        /// (ễ); pango then borrows them from another installed font.
        case mono = "DejaVu Sans Mono"
        case serif = "DejaVu Serif"
    }

    /// Horizontal placement of each line within the box.
    public enum Alignment: Sendable {
        case left, center, right
    }

    public var family: Family
    /// Font size in points.
    public var size: Double
    public var bold: Bool
    public var italic: Bool
    public var alignment: Alignment
    /// Break lines to fit the box's width (at spaces and hyphens, inside a word only when it cannot fit
    /// a line on its own). False keeps each line whole: for a login or a code, which must not be read
    /// as two words; it then runs past the box's side unless `shrinkToFit` is set.
    public var wraps: Bool
    /// Shrink the font, down to `minimumSize`, until the text fits the box (width without breaking a
    /// word, and height). Otherwise the text keeps `size` and may run below the box.
    public var shrinkToFit: Bool
    public var minimumSize: Double
    /// 0 is black, 1 is white.
    public var gray: Double
    /// Extra space between letters, in points (e.g. 1–2 pt to make a code easy to read aloud).
    public var letterSpacing: Double

    public init(
        family: Family = .sans, size: Double = 11, bold: Bool = false, italic: Bool = false,
        alignment: Alignment = .left, wraps: Bool = true, shrinkToFit: Bool = false, minimumSize: Double = 6,
        gray: Double = 0, letterSpacing: Double = 0
    ) {
        precondition(size > 0 && minimumSize > 0, "font sizes must be positive")
        self.family = family
        self.size = size
        self.bold = bold
        self.italic = italic
        self.alignment = alignment
        self.wraps = wraps
        self.shrinkToFit = shrinkToFit
        self.minimumSize = minimumSize
        self.gray = gray
        self.letterSpacing = letterSpacing
    }
}

/// What a block of text occupies once laid out.
public struct TextMetrics: Sendable, Equatable {
    /// Height used from the top of the box, in points. Larger than the box's height only when the
    /// text did not fit (no `shrinkToFit`, or not even at `minimumSize`): text is never cut.
    public var height: Double
    /// Width of the widest line, in points.
    public var width: Double
    /// The font size used, smaller than the style's after shrinking.
    public var fontSize: Double
    public var lineCount: Int
    /// Characters no installed font could draw (shown as boxes); 0 with the DejaVu families and any
    /// Latin, Greek or Cyrillic name.
    public var missingGlyphs: Int
}
