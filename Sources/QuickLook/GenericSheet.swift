import FITS

/// The sheet for any other FITS product (an external step's): its SCI image (first plane) under zscale, or else
/// its first table's first two numeric columns against each other.
enum GenericSheet {
    static func draw(product: [HDU], on canvas: Canvas) {
        if let sci = (product.hdu(named: "SCI") ?? product.first { $0.image != nil })?.image?.floats(), sci.count > 0 {
            let plane = sci.axes.count > 2 ? sci.plane(0) : sci
            SheetCanvas.image(
                DisplayPlane(plane, limit: 820), on: canvas, x: 390, y: 120, size: 820,
                caption: "SCI\(sci.axes.count > 2 ? " (first plane)" : "") \(sci.axes.map(String.init).joined(separator: "×"))",
                stretch: ZScale(plane.pixels))
            return
        }
        guard let hdu = product.first(where: { $0.table != nil }), let table = hdu.table else {
            canvas.text("no image or table to show", x: 70, y: 200, size: 18)
            return
        }
        let numeric = table.columns.filter { $0.data.doubles != nil && $0.repeatCount == 1 }
        guard numeric.count >= 2, let xs = numeric[0].data.doubles, let ys = numeric[1].data.doubles else {
            canvas.text("table \(hdu.name ?? "") has fewer than two numeric columns", x: 70, y: 200, size: 18)
            return
        }
        let area = PlotArea(
            x: 120, y: 120, width: 1440, height: 780, xRange: PlotArea.range(of: xs), yRange: PlotArea.range(of: ys, robust: true))
        area.drawAxes(
            on: canvas, xLabel: "\(numeric[0].name) \(numeric[0].unit)", yLabel: "\(numeric[1].name) \(numeric[1].unit)",
            title: "\(hdu.name ?? "table"): \(numeric[1].name) against \(numeric[0].name)")
        canvas.line(area.points(xs, ys), colour: .blue)
    }
}
