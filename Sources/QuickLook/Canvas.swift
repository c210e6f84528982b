import CCairo
import CPNG

/// A colour as red, green and blue in 0…1.
public struct Colour: Sendable, Equatable {
    public var red: Double, green: Double, blue: Double
    public init(_ red: Double, _ green: Double, _ blue: Double) { (self.red, self.green, self.blue) = (red, green, blue) }

    static let black = Colour(0, 0, 0)
    static let white = Colour(1, 1, 1)
    static let grey = Colour(0.55, 0.55, 0.55)
    static let paper = Colour(0.97, 0.97, 0.96)
    static let blue = Colour(0.12, 0.35, 0.75)
    static let orange = Colour(0.9, 0.45, 0.1)
    static let red = Colour(0.8, 0.1, 0.1)
    static let band = Colour(0.7, 0.8, 0.95)
}

/// Where text sits relative to the point it is drawn at.
enum TextAlignment { case left, centre, right }

/// A picture being drawn, over cairo: the one place in Webbflow that calls cairo. Coordinates are pixels from the
/// top-left corner; text is DejaVu Sans through fontconfig.
final class Canvas {
    let width: Int
    let height: Int
    private let surface: OpaquePointer
    private let context: OpaquePointer

    init(width: Int, height: Int, background: Colour = .paper) {
        self.width = width
        self.height = height
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))
        context = cairo_create(surface)
        cairo_select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        set(background)
        cairo_paint(context)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    private func set(_ colour: Colour) { cairo_set_source_rgb(context, colour.red, colour.green, colour.blue) }

    func fill(x: Double, y: Double, width: Double, height: Double, colour: Colour) {
        set(colour)
        cairo_rectangle(context, x, y, width, height)
        cairo_fill(context)
    }

    func frame(x: Double, y: Double, width: Double, height: Double, colour: Colour = .black, lineWidth: Double = 1) {
        set(colour)
        cairo_set_line_width(context, lineWidth)
        cairo_rectangle(context, x + 0.5, y + 0.5, width - 1, height - 1)
        cairo_stroke(context)
    }

    /// A polyline; a nil point breaks it (a gap where the data are missing). Antialiased with cairo's fast
    /// setting: a curve of a few thousand points that zigzags from column to column (the banding) crosses each
    /// scanline many times, and cairo's default antialiasing rasterises such a stroke about four times slower (two
    /// 2048-point zigzags across a 1430-px plot: about 80 ms against 20 ms); on lines this thin the two look the same.
    func line(_ points: [(Double, Double)?], colour: Colour, lineWidth: Double = 1.2) {
        set(colour)
        cairo_save(context)
        cairo_set_antialias(context, CAIRO_ANTIALIAS_FAST)
        cairo_set_line_width(context, lineWidth)
        var drawing = false
        for point in points {
            guard let (x, y) = point else { drawing = false; continue }
            if drawing { cairo_line_to(context, x, y) } else { cairo_move_to(context, x, y) }
            drawing = true
        }
        cairo_stroke(context)
        cairo_restore(context)
    }

    /// The area between two curves sampled at the same abscissae (an error band).
    func band(_ xs: [Double], lower: [Double], upper: [Double], colour: Colour) {
        guard !xs.isEmpty else { return }
        set(colour)
        cairo_move_to(context, xs[0], upper[0])
        for i in xs.indices.dropFirst() { cairo_line_to(context, xs[i], upper[i]) }
        for i in xs.indices.reversed() { cairo_line_to(context, xs[i], lower[i]) }
        cairo_close_path(context)
        cairo_fill(context)
    }

    func dots(_ points: [(Double, Double)], colour: Colour, radius: Double = 2.5) {
        set(colour)
        for (x, y) in points {
            cairo_new_sub_path(context)
            cairo_arc(context, x, y, radius, 0, 2 * .pi)
        }
        cairo_fill(context)
    }

    func text(
        _ string: String, x: Double, y: Double, size: Double = 13, colour: Colour = .black, bold: Bool = false,
        alignment: TextAlignment = .left, rotated: Bool = false
    ) {
        cairo_select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, string, &extents)
        let shift =
            switch alignment {
            case .left: 0.0
            case .centre: -extents.x_advance / 2
            case .right: -extents.x_advance
            }
        set(colour)
        cairo_save(context)
        cairo_translate(context, x, y)
        if rotated { cairo_rotate(context, -.pi / 2) }
        cairo_move_to(context, shift, 0)
        cairo_show_text(context, string)
        cairo_restore(context)
    }

    /// Grey levels (0 black … 255 white, `columns` × `rows`, first row at the top) stretched onto a rectangle,
    /// each level a flat block (no smoothing: a pixel stays a pixel).
    func grey(_ levels: [UInt8], columns: Int, rows: Int, x: Double, y: Double, width: Double, height: Double) {
        guard columns > 0, rows > 0 else { return }
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, Int32(columns)))
        guard let image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(columns), Int32(rows)) else { return }
        defer { cairo_surface_destroy(image) }
        cairo_surface_flush(image)
        if let data = cairo_image_surface_get_data(image) {
            let words = UnsafeMutableRawPointer(data)
            for row in 0..<rows {
                let line = (words + row * stride).assumingMemoryBound(to: UInt32.self)
                for column in 0..<columns {
                    let v = UInt32(levels[row * columns + column])
                    line[column] = v << 16 | v << 8 | v
                }
            }
        }
        cairo_surface_mark_dirty(image)
        cairo_save(context)
        cairo_rectangle(context, x, y, width, height)
        cairo_clip(context)
        cairo_translate(context, x, y)
        cairo_scale(context, width / Double(columns), height / Double(rows))
        cairo_set_source_surface(context, image, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(context), CAIRO_FILTER_NEAREST)
        cairo_paint(context)
        cairo_restore(context)
    }

    /// The picture as an 8-bit RGB PNG, encoded by libpng straight from cairo's pixels, at zlib level 1 with every
    /// row Up-filtered. Left to choose a filter per row (as its simplified writer did, which also needed the pixels
    /// copied out as RGB bytes first), libpng took about twice as long on a full-frame NSClean sheet (85 ms against
    /// 42 ms on a loaded machine), and the PNG came out larger; cairo's own writer compresses at zlib's default
    /// level, slower still.
    func png() throws(QuickLookError) -> [UInt8] {
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else { throw QuickLookError("the picture has no pixels") }
        var encoded: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: 200)
        let status = cpng_encode_rgb24(
            data, Int32(width), Int32(height), cairo_image_surface_get_stride(surface), Self.compressionLevel, &encoded, &size,
            &message, message.count)
        guard status == 0, let encoded else {
            let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw QuickLookError("cannot encode the picture: \(reason)")
        }
        defer { cpng_free(encoded) }
        return Array(UnsafeBufferPointer(start: encoded, count: size))
    }

    /// zlib's fastest level: the sheet's image panels are noise that no level compresses much, and its flat areas
    /// (zero rows once Up-filtered) compress at any level.
    static let compressionLevel: Int32 = 1
}

/// A picture could not be drawn or written.
public struct QuickLookError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A PNG file read back as RGB pixels: how tests (and anyone checking a picture) look at what was drawn.
public struct PNGPicture: Sendable {
    public let width: Int
    public let height: Int
    /// 0xRRGGBB per pixel, row by row from the top.
    public let pixels: [UInt32]

    public init(contentsOf path: String) throws(QuickLookError) {
        guard let image = cairo_image_surface_create_from_png(path), cairo_surface_status(image) == CAIRO_STATUS_SUCCESS else {
            throw QuickLookError("\(path) is not a PNG cairo can read")
        }
        defer { cairo_surface_destroy(image) }
        width = Int(cairo_image_surface_get_width(image))
        height = Int(cairo_image_surface_get_height(image))
        let stride = Int(cairo_image_surface_get_stride(image))
        var pixels = [UInt32](repeating: 0, count: width * height)
        if let data = cairo_image_surface_get_data(image) {
            for row in 0..<height {
                let line = UnsafeRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
                for column in 0..<width { pixels[row * width + column] = line[column] & 0xFFFFFF }
            }
        }
        self.pixels = pixels
    }

    public subscript(x: Int, y: Int) -> UInt32 { pixels[y * width + x] }
}
