import FITS
import Foundation

/// ATM's sheet: a detector zoom on the brightest trace, native against oversampled under one stretch, and the
/// profile across the slice at the brightest column: native samples, the oversampled image, and the spline model.
enum TraceModelSheet {
    static func draw(input: Image<Float>, product: [HDU], on canvas: Canvas) {
        guard let oversampled = product.hdu(named: "SCI")?.image?.floats(), let header = product.hdu(named: "SCI")?.header else { return }
        let n = max(1, header.integer("ATM_N") ?? 1)
        let alongX = header.integer("ATM_AXIS") == 1
        let scale = header.real("ATM_SCAL") ?? 1 / Double(n), shift = header.real("ATM_SHFT") ?? -Double(n - 1) / Double(2 * n)
        let (bx, by) = brightest(input)
        // Native window: 24 px across the slice, 60 along the dispersion, kept on the detector.
        let (across, along) = (24, 60)
        let w = alongX ? across : along, h = alongX ? along : across
        let x0 = max(0, min(input.width - w, bx - w / 2)), y0 = max(0, min(input.height - h, by - h / 2))
        let native = DisplayPlane(input, window: (x0, y0, min(w, input.width), min(h, input.height)), limit: 400)
        let fine = DisplayPlane(
            oversampled,
            window: alongX
                ? (x0 * n, y0, min(w * n, oversampled.width), min(h, oversampled.height))
                : (x0, y0 * n, min(w, oversampled.width), min(h * n, oversampled.height)),
            limit: 400)
        let window = native.values.filter(\.isFinite)
        let stretch = ZScale(low: window.min() ?? 0, high: window.max() ?? 1)
        SheetCanvas.image(native, on: canvas, x: 70, y: 120, size: 420, caption: "input, around the brightest trace", stretch: stretch)
        SheetCanvas.image(fine, on: canvas, x: 560, y: 120, size: 420, caption: "oversampled ×\(n)", stretch: stretch)

        // The profile across the slice at the brightest column (row, for MIRI): native, oversampled and the model.
        let profileNative = (0..<across).map { k -> (Double, Double) in
            let (x, y) = alongX ? (x0 + k, by) : (bx, y0 + k)
            return (Double(alongX ? x : y), Double(input[x, y]))
        }
        let fineCount = across * n
        let model = product.hdu(named: "TRACEMODEL")?.image?.floats()
        let fineSamples = (0..<fineCount).map { k -> (position: Double, value: Double, model: Double) in
            let (x, y) = alongX ? (x0 * n + k, by) : (bx, y0 * n + k)
            guard x < oversampled.width, y < oversampled.height else { return (.nan, .nan, .nan) }
            let position = Double(alongX ? x : y) * scale + shift
            return (position, Double(oversampled[x, y]), Double(model?[x, y] ?? .nan))
        }
        let positions = fineSamples.map(\.position)
        let area = PlotArea(
            x: 1090, y: 120, width: 470, height: 420,
            xRange: PlotArea.range(of: profileNative.map(\.0) + positions),
            yRange: PlotArea.range(of: profileNative.map(\.1) + fineSamples.map(\.value)))
        area.drawAxes(
            on: canvas, xLabel: "native pixel across the slice", yLabel: "SCI",
            title: "Profile at \(alongX ? "row" : "column") \(alongX ? by : bx)")
        canvas.line(area.points(positions, fineSamples.map(\.value)), colour: .blue)
        canvas.line(area.points(positions, fineSamples.map(\.model)), colour: .orange, lineWidth: 1.6)
        canvas.dots(profileNative.compactMap { $0.1.isFinite ? (area.px($0.0), area.py($0.1)) : nil }, colour: .black, radius: 3.5)
        canvas.text("dots: native samples · blue: oversampled · orange: spline model (where fitted)", x: 1090, y: 600, size: 12)

        let overview = DisplayPlane(input, limit: 300)
        SheetCanvas.image(
            overview, on: canvas, x: 70, y: 640, size: 300, caption: "input detector; the zoom is at x = \(bx), y = \(by)",
            stretch: input.pixels.withUnsafeBufferPointer { ZScale($0) })
        let slices = product[0].header.string("ATM_MODL").map { "modelled regions: \($0)" } ?? ""
        canvas.text(
            String(
                format: "N = %d along FITS axis %d; native = oversampled × %.6g + %.6g (0-based pixels)", n, alongX ? 1 : 2, scale, shift),
            x: 420, y: 670, size: 13)
        canvas.text(slices, x: 420, y: 695, size: 13)
    }

    /// The brightest pixel, ignoring single hot pixels: the maximum of each pixel's 3-pixel mean along the trace.
    static func brightest(_ image: Image<Float>) -> (Int, Int) {
        var best: Float = -.infinity, at = (image.width / 2, image.height / 2)
        for y in 1..<max(2, image.height - 1) {
            for x in 1..<max(2, image.width - 1) {
                let v = image[x - 1, y] + image[x, y] + image[x + 1, y] + image[x, y - 1] + image[x, y + 1]
                if v.isFinite, v > best { best = v; at = (x, y) }
            }
        }
        return at
    }
}
