import FITS

/// A quick-look sheet's canvas with its title drawn: the product's file name, then its target, instrument mode and
/// the step that made it. Sized for a screen.
enum SheetCanvas {
    static let width = 1600
    static let height = 1000

    static func titled(fileName: String, primary: Header, step: String) -> Canvas {
        let canvas = Canvas(width: width, height: height)
        canvas.text(fileName, x: 30, y: 38, size: 22, bold: true)
        let mode = ["INSTRUME", "EXP_TYPE", "DETECTOR", "GRATING", "FILTER", "FXD_SLIT"].compactMap { key in
            primary.string(key).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty || $0 == "N/A" ? nil : $0 }
        }
        let target = primary.string("TARGNAME").map { "target \($0)" } ?? "no target name"
        let program = primary.string("PROGRAM").map { "program \($0)" }
        let parts = [target, mode.joined(separator: " "), program, "Webbflow step \(step)"].compactMap { $0 }.filter { !$0.isEmpty }
        canvas.text(parts.joined(separator: "  ·  "), x: 30, y: 66, size: 15, colour: Colour(0.25, 0.25, 0.25))
        return canvas
    }

    /// A stretched image panel with its caption and its stretch.
    static func image(
        _ plane: DisplayPlane, on canvas: Canvas, x: Double, y: Double, size: Double, caption: String,
        stretch: ZScale
    ) {
        let aspect = Double(plane.rows) / Double(plane.columns)
        let (w, h) = aspect > 1 ? (size / aspect, size) : (size, size * aspect)
        canvas.fill(x: x, y: y, width: size, height: size, colour: Colour(0.9, 0.9, 0.9))
        canvas.grey(
            plane.levels(low: stretch.low, high: stretch.high), columns: plane.columns, rows: plane.rows,
            x: x + (size - w) / 2, y: y + (size - h) / 2, width: w, height: h)
        canvas.frame(x: x, y: y, width: size, height: size, colour: .grey)
        canvas.text(caption, x: x, y: y - 10, size: 14, bold: true)
        canvas.text(
            String(format: "zscale %.4g … %.4g", stretch.low, stretch.high), x: x, y: y + size + 18, size: 11,
            colour: .grey)
    }
}
